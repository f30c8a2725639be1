// Progress page: uploads the CSV to import-app with the login's cookie, then follows the channel import-app chose
// for it, with the channel token it issued to this user. A reconnect or a reload asks GET /imports/{id} for a fresh
// token (tokens expire) and resumes with ?after=<last seq seen>.
'use strict';

const FINAL = new Set(['COMPLETED', 'FAILED']);
/** The imports followed in this tab, kept across reloads. */
const STORED = 'eda-progress-imports';
let importUrl = 'http://localhost:8081';
const configLoaded = fetch('config.json').then(r => r.json()).then(c => { importUrl = c.importUrl; })
  .catch(() => setStatus('Could not load config.json; using ' + importUrl, true));

function setStatus(text, error) {
  const status = document.getElementById('status');
  status.textContent = text;
  status.className = error ? 'error' : '';
}

/** A call to import-app with the login's cookie (CORS with credentials); rejects with the problem's detail. */
async function importApp(path, options) {
  const response = await fetch(importUrl + path, Object.assign({ credentials: 'include' }, options));
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.detail || body.title || ('HTTP ' + response.status));
  }
  return body;
}

/** GET /imports/{id}: the import's state, its channel and a fresh token for it. */
function importStatus(importId) {
  return importApp('/imports/' + encodeURIComponent(importId));
}

function wsUrl(channelId, token, after) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return scheme + '//' + location.host + '/progress/' + encodeURIComponent(channelId)
    + '?token=' + encodeURIComponent(token) + '&after=' + after;
}

/**
 * Follows one import's channel until it is final: every retained event first (after=-1; the channel is new, so
 * that is all of this import), then live; reconnects with a fresh token and ?after=<last seq seen>.
 */
function follow(importId, channelId, token) {
  let lastSeq = -1;
  let retries = 0;
  const connect = () => {
    const ws = new WebSocket(wsUrl(channelId, token, lastSeq));
    ws.onopen = () => { retries = 0; };
    ws.onmessage = m => {
      const event = JSON.parse(m.data);
      if (event.seq <= lastSeq) {
        return;
      }
      lastSeq = event.seq;
      render(event);
      if (FINAL.has(event.type)) {
        ws.close(1000, 'import finished');
      }
    };
    ws.onclose = e => {
      if (FINAL.has(row(importId).dataset.state)) {
        return;
      }
      if (e.code === 1008 && !e.reason.includes('expired')) {
        setStatus('Progress refused: ' + e.reason, true);
        return;
      }
      const delay = Math.min(10000, 500 * 2 ** retries++);
      setTimeout(() => awaitStatus(importId)
        .then(status => { token = status.channelToken; connect(); })
        .catch(err => setStatus('Cannot follow import ' + importId + ': ' + err.message, true)), delay);
    };
  };
  connect();
}

function remember(importId) {
  const ids = stored().filter(id => id !== importId);
  ids.push(importId);
  sessionStorage.setItem(STORED, JSON.stringify(ids.slice(-20)));
}

function stored() {
  try {
    return JSON.parse(sessionStorage.getItem(STORED) || '[]');
  } catch (e) {
    return [];
  }
}

/** GET /imports/{id}, retried for a while: an import accepted a moment ago may not be visible there yet. */
async function awaitStatus(importId) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await importStatus(importId);
    } catch (err) {
      if (attempt >= 20) {
        throw err;
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }
}

/** After a reload: show each import of this tab again and follow those still running. */
async function resume() {
  await configLoaded;
  for (const importId of stored()) {
    try {
      const status = await awaitStatus(importId);
      row(importId);
      if (FINAL.has(status.state)) {
        render({ importId, type: status.state, jobsDone: status.jobsDone, jobsTotal: status.jobsTotal,
          rowsImported: status.rowsImported, rowsRejected: status.rowsRejected });
      } else {
        follow(importId, status.channelId, status.channelToken);
      }
    } catch (err) {
      setStatus('Could not load import ' + importId + ': ' + err.message, true);
    }
  }
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
    const body = await importStatus(importId);
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
    const form = new FormData();
    form.append('file', file);
    setStatus('Uploading ' + file.name + '…');
    const body = await importApp('/imports', { method: 'POST', body: form });
    row(body.importId);
    remember(body.importId);
    follow(body.importId, body.channelId, body.channelToken);
    setStatus('Import ' + body.importId + ' accepted.');
  } catch (err) {
    setStatus(err.message, true);
  } finally {
    button.disabled = false;
  }
});

resume();
