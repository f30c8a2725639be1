// Progress page: opens the WebSocket of a fresh channel FIRST, then uploads the CSV with that channel id.
'use strict';

const FINAL = new Set(['COMPLETED', 'FAILED']);
let importUrl = 'http://localhost:8081';
const configLoaded = fetch('config.json').then(r => r.json()).then(c => { importUrl = c.importUrl; })
  .catch(() => setStatus('Could not load config.json; using ' + importUrl, true));

function setStatus(text, error) {
  const status = document.getElementById('status');
  status.textContent = text;
  status.className = error ? 'error' : '';
}

function newChannelId() {
  if (window.crypto && crypto.randomUUID) {
    return crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

function wsUrl(channelId, after) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return scheme + '//' + location.host + '/progress/' + encodeURIComponent(channelId)
    + (after === undefined ? '' : '?after=' + after);
}

/** One channel: reconnects with ?after=<last seq seen> when the socket drops. Resolves once first open. */
function follow(channelId) {
  let lastSeq = -1;
  let retries = 0;
  return new Promise((resolve, reject) => {
    let opened = false;
    const connect = () => {
      // First connect: live only (nothing was sent yet). Reconnects: everything after the last seq seen.
      const ws = new WebSocket(wsUrl(channelId, opened ? lastSeq : undefined));
      ws.onopen = () => { retries = 0; if (!opened) { opened = true; resolve(); } };
      ws.onmessage = m => {
        const event = JSON.parse(m.data);
        if (event.seq <= lastSeq) {
          return;
        }
        lastSeq = event.seq;
        render(event);
      };
      ws.onclose = e => {
        if (!opened) {
          reject(new Error('progress socket refused (' + e.code + ' ' + e.reason + ')'));
          return;
        }
        if (e.code === 1008) {
          setStatus('Progress refused: ' + e.reason, true);
          return;
        }
        const delay = Math.min(10000, 500 * 2 ** retries++);
        setTimeout(connect, delay);
      };
    };
    connect();
  });
}

function row(importId) {
  let el = document.querySelector('[data-import-id="' + CSS.escape(importId) + '"]');
  if (el) {
    return el;
  }
  el = document.createElement('article');
  el.className = 'import';
  el.dataset.importId = importId;
  el.innerHTML = '<h3></h3>'
    + '<p>State: <span class="state">ACCEPTED</span></p>'
    + '<progress class="bar" value="0" max="1" aria-label="jobs done"></progress>'
    + '<p>Rows imported: <span class="rows-imported">0</span>, rejected: <span class="rows-rejected">0</span>'
    + ' <span class="jobs"></span></p>'
    + '<ul class="errors"></ul>';
  el.querySelector('h3').textContent = 'Import ' + importId;
  document.getElementById('imports').prepend(el);
  return el;
}

function render(event) {
  if (!event.importId) {
    return;
  }
  const el = row(event.importId);
  if (FINAL.has(el.dataset.state) && !FINAL.has(event.type)) {
    return;
  }
  el.dataset.state = event.type;
  el.querySelector('.state').textContent = event.type;
  const bar = el.querySelector('.bar');
  bar.max = Math.max(1, event.jobsTotal || 0);
  bar.value = event.jobsDone || 0;
  el.querySelector('.jobs').textContent = '(' + (event.jobsDone || 0) + '/' + (event.jobsTotal || 0) + ' jobs)';
  el.querySelector('.rows-imported').textContent = event.rowsImported || 0;
  el.querySelector('.rows-rejected').textContent = event.rowsRejected || 0;
  if (FINAL.has(event.type)) {
    showResult(el, event.importId);
  }
}

async function showResult(el, importId) {
  try {
    const response = await fetch(importUrl + '/imports/' + encodeURIComponent(importId));
    const body = await response.json();
    if (!response.ok) {
      throw new Error(body.detail || body.title || response.statusText);
    }
    el.querySelector('.rows-imported').textContent = body.rowsImported;
    el.querySelector('.rows-rejected').textContent = body.rowsRejected;
    const list = el.querySelector('.errors');
    list.replaceChildren(...(body.errors || []).map(e => {
      const li = document.createElement('li');
      li.textContent = 'line ' + e.line + ': ' + e.reason;
      return li;
    }));
  } catch (e) {
    setStatus('Could not load the result of import ' + importId + ': ' + e.message, true);
  }
}

document.getElementById('import-form').addEventListener('submit', async e => {
  e.preventDefault();
  const file = document.getElementById('file').files[0];
  if (!file) {
    setStatus('Choose a CSV file first.', true);
    return;
  }
  const button = document.getElementById('import');
  button.disabled = true;
  try {
    await configLoaded;
    const channelId = newChannelId();
    setStatus('Connecting…');
    await follow(channelId);
    const form = new FormData();
    form.append('file', file);
    form.append('channelId', channelId);
    setStatus('Uploading ' + file.name + '…');
    const response = await fetch(importUrl + '/imports', { method: 'POST', body: form });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.detail || body.title || ('HTTP ' + response.status));
    }
    row(body.importId);
    setStatus('Import ' + body.importId + ' accepted.');
  } catch (err) {
    setStatus(err.message, true);
  } finally {
    button.disabled = false;
  }
});
