// Progress page: lists the logged-in user's newest imports (GET /imports on import-app, with the login's cookie) and
// follows each running one on its channel here, with the channel token import-app issued to this user. A socket
// resumes with ?after=<seq of the last event applied>, kept per tab so a reload resumes too: the bar never applies an
// event twice nor skips one. A dropped connection is retried with backoff and a fresh token (GET /imports/{id});
// a final import (COMPLETED, FAILED) is never reconnected.
'use strict';

const FINAL = new Set(['COMPLETED', 'FAILED']);
/** What the list asks for: import-app's bound. */
const LIST_LIMIT = 20;
/**
 * Per running import, what this tab applied (sessionStorage): the seq of the last event, where a reload resumes, and
 * the jobs-done counts of its PROCESSED events (shown as data-applied-jobs: one each, 1..n, if nothing was applied
 * twice or skipped, across reloads too).
 */
const CURSORS = 'eda-progress-cursors';
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5000;
/** An event's type as the state the list shows (the aggregate's words). */
const STATE_OF = { ACCEPTED: 'PENDING', CONSUMED: 'RUNNING', PROCESSED: 'RUNNING', COMPLETED: 'COMPLETED', FAILED: 'FAILED' };

let importUrl = 'http://localhost:8081';
const configLoaded = fetch('config.json').then(r => r.json()).then(c => { importUrl = c.importUrl; })
  .catch(() => setStatus('Could not load config.json; using ' + importUrl, true));
/** The imports this page follows (or followed to the end), by id: { channelId, token, lastSeq, retries, ws }. */
const followers = new Map();

function setStatus(text, error) {
  const status = document.getElementById('status');
  status.textContent = text;
  status.className = error ? 'error' : '';
}

/** A call to import-app with the login's cookie (CORS with credentials); rejects with the problem's detail and status. */
async function importApp(path, options) {
  const response = await fetch(importUrl + path, Object.assign({ credentials: 'include' }, options));
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw Object.assign(new Error(body.detail || body.title || ('HTTP ' + response.status)), { status: response.status });
  }
  return body;
}

/** GET /imports/{id}: the import's state, its channel and a fresh token for it. */
function importStatus(importId) {
  return importApp('/imports/' + encodeURIComponent(importId));
}

function backoff(attempt) {
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempt) * (0.75 + Math.random() / 4);
}

function cursors() {
  try {
    return JSON.parse(sessionStorage.getItem(CURSORS) || '{}');
  } catch (e) {
    return {};
  }
}

function saveCursor(importId, cursor) {
  const all = cursors();
  if (cursor === undefined) {
    delete all[importId];
  } else {
    all[importId] = cursor;
  }
  sessionStorage.setItem(CURSORS, JSON.stringify(all));
}

function wsUrl(channelId, token, after) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return scheme + '//' + location.host + '/progress/' + encodeURIComponent(channelId)
    + '?token=' + encodeURIComponent(token) + '&after=' + after;
}

/** Follows a running import from this tab's cursor (-1: everything retained) until it is final; once per page. */
function follow(importId, channelId, token) {
  if (followers.has(importId)) {
    return;
  }
  const stored = cursors()[importId];
  const f = { importId, channelId, token, lastSeq: stored ? stored.seq : -1, retries: 0, ws: null };
  followers.set(importId, f);
  const el = row(importId);
  el.dataset.resumedAfter = f.lastSeq;
  el.dataset.appliedJobs = stored ? stored.jobs : '';
  connect(f);
}

function connect(f) {
  const el = row(f.importId);
  const ws = new WebSocket(wsUrl(f.channelId, f.token, f.lastSeq));
  f.ws = ws;
  el.dataset.socket = 'connecting';
  el.dataset.connects = Number(el.dataset.connects || 0) + 1;
  ws.onopen = () => { el.dataset.socket = 'open'; };
  ws.onmessage = m => {
    f.retries = 0; // events flow: a later drop starts its backoff afresh
    apply(f, JSON.parse(m.data));
  };
  ws.onclose = e => {
    f.ws = null;
    if (FINAL.has(el.dataset.state)) {
      el.dataset.socket = 'done';
    } else if (e.code === 1008 && !e.reason.includes('expired')) {
      el.dataset.socket = 'refused';
      setStatus('Progress of import ' + f.importId + ' refused: ' + e.reason, true);
    } else {
      retry(f); // dropped (notify-app restarted, network), slow consumer (1013), expired token
    }
  };
}

/** After a backoff: a fresh token and the import's state; a final import is shown as it ended, not reconnected. */
function retry(f) {
  const el = row(f.importId);
  el.dataset.socket = 'retrying';
  setTimeout(async () => {
    try {
      const status = await importStatus(f.importId);
      if (FINAL.has(status.state)) {
        show(el, status);
        el.dataset.socket = 'done';
        saveCursor(f.importId);
        showErrors(el, status);
        return;
      }
      f.token = status.channelToken;
      connect(f);
    } catch (err) {
      if (err.status === 401 || err.status === 403 || err.status === 404) {
        el.dataset.socket = 'refused';
        setStatus('Cannot follow import ' + f.importId + ': ' + err.message, true);
        return;
      }
      retry(f); // import-app unreachable: keep trying
    }
  }, backoff(f.retries++));
}

/** One event, once: an event at or below the cursor (a replay overlapping what was applied) is not applied again. */
function apply(f, event) {
  const el = row(f.importId);
  if (event.seq <= f.lastSeq) {
    el.dataset.ignored = Number(el.dataset.ignored || 0) + 1;
    return;
  }
  f.lastSeq = event.seq;
  el.dataset.lastSeq = event.seq;
  if (event.type === 'PROCESSED') {
    el.dataset.appliedJobs = (el.dataset.appliedJobs ? el.dataset.appliedJobs + ',' : '') + event.jobsDone;
  }
  show(el, Object.assign({}, event, { state: STATE_OF[event.type] || 'RUNNING' }));
  if (FINAL.has(event.type)) {
    saveCursor(f.importId);
    f.ws.close(1000, 'import finished');
    loadErrors(el, f.importId);
  } else {
    saveCursor(f.importId, { seq: event.seq, jobs: el.dataset.appliedJobs });
  }
}

/** On load: the user's newest imports, newest on top; the running ones followed. Retried while import-app is away. */
async function load(attempt) {
  await configLoaded;
  let list;
  try {
    list = await importApp('/imports?limit=' + LIST_LIMIT);
  } catch (err) {
    setStatus('Could not list your imports: ' + err.message, true);
    if (err.status !== 401 && err.status !== 403) {
      setTimeout(() => load(attempt + 1), backoff(attempt));
    }
    return;
  }
  const listed = new Set();
  for (const status of list.imports) {
    listed.add(status.importId);
    const el = row(status.importId, status.acceptedAt, true);
    show(el, status);
    if (!FINAL.has(status.state)) {
      follow(status.importId, status.channelId, status.channelToken);
    } else if (status.rowsRejected > 0) {
      loadErrors(el, status.importId); // the list does not carry them
    }
  }
  const kept = cursors();
  Object.keys(kept).filter(id => !listed.has(id) && !followers.has(id)).forEach(id => delete kept[id]);
  sessionStorage.setItem(CURSORS, JSON.stringify(kept));
  document.getElementById('imports').dataset.loaded = 'true';
}

/** The import's element; made when missing: on top for a new upload, else after the others (the list comes newest first). */
function row(importId, acceptedAt, append) {
  let el = document.querySelector('[data-import-id="' + CSS.escape(importId) + '"]');
  if (el) {
    return el;
  }
  el = document.createElement('article');
  el.className = 'import';
  el.dataset.importId = importId;
  el.innerHTML = '<h3></h3><p class="accepted"></p>'
    + '<p>State: <span class="state">PENDING</span></p>'
    + '<progress class="bar" value="0" max="1" aria-label="jobs done"></progress>'
    + '<p>Rows imported: <span class="rows-imported">0</span>, rejected: <span class="rows-rejected">0</span>'
    + ' <span class="jobs"></span></p>'
    + '<ul class="errors"></ul>';
  el.querySelector('h3').textContent = 'Import ' + importId;
  el.querySelector('.accepted').textContent = acceptedAt ? 'Accepted ' + new Date(acceptedAt).toLocaleString() : '';
  const list = document.getElementById('imports');
  if (append) {
    list.append(el);
  } else {
    list.prepend(el);
  }
  return el;
}

/**
 * Shows a state (an import of the list, or an event as a state). Counts only grow: an older state than the one shown
 * (a CONSUMED event carries the counts its importer last saw; a replay may start below the list's counts) changes
 * nothing, and nothing changes a final import.
 */
function show(el, s) {
  const done = s.jobsDone || 0;
  if (FINAL.has(el.dataset.state) || (!FINAL.has(s.state) && done < Number(el.dataset.jobsDone || 0))) {
    return;
  }
  el.dataset.state = s.state;
  el.dataset.jobsDone = done;
  el.querySelector('.state').textContent = s.state;
  const bar = el.querySelector('.bar');
  bar.max = Math.max(1, s.jobsTotal || 0);
  bar.value = done;
  el.querySelector('.jobs').textContent = '(' + done + '/' + (s.jobsTotal || 0) + ' jobs)';
  el.querySelector('.rows-imported').textContent = s.rowsImported || 0;
  el.querySelector('.rows-rejected').textContent = s.rowsRejected || 0;
}

/** The final counts and the first row errors, as GET /imports/{id} has them. */
function showErrors(el, status) {
  el.querySelector('.rows-imported').textContent = status.rowsImported;
  el.querySelector('.rows-rejected').textContent = status.rowsRejected;
  el.querySelector('.errors').replaceChildren(...(status.errors || []).map(e => {
    const li = document.createElement('li');
    li.textContent = 'line ' + e.line + ': ' + e.reason;
    return li;
  }));
}

function loadErrors(el, importId) {
  importStatus(importId).then(status => showErrors(el, status))
    .catch(err => setStatus('Could not load the result of import ' + importId + ': ' + err.message, true));
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
    row(body.importId, new Date().toISOString());
    follow(body.importId, body.channelId, body.channelToken);
    setStatus('Import ' + body.importId + ' accepted.');
  } catch (err) {
    setStatus(err.message, true);
  } finally {
    button.disabled = false;
  }
});

load(0);
