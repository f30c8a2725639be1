// The login form of every app's pages (served from event-kit's jar): a failed login answers with a status, not a
// page — 401 for a wrong user name or password, 429 (with Retry-After) when this user failed too often from this
// address. Posted with fetch, the page says which; a login that worked is redirected to the page that sent the browser
// here, and the browser goes there. Without script the form posts as a plain form.
'use strict';
(() => {
  const form = document.querySelector('form');
  const error = document.getElementById('error');
  function show(text) {
    error.textContent = text;
    error.hidden = false;
  }
  if (new URLSearchParams(location.search).has('error')) show('Wrong user name or password.');
  form.addEventListener('submit', async event => {
    event.preventDefault();
    error.hidden = true;
    let answer;
    try {
      answer = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)) });
    } catch (e) {
      show('The server cannot be reached; try again.');
      return;
    }
    if (answer.status === 429) {
      show('Too many failed logins for this user from here; try again in ' + (answer.headers.get('Retry-After') || 'a few') + ' s.');
    } else if (answer.redirected && !new URL(answer.url).pathname.endsWith('/login.html')) {
      location.assign(answer.url);
    } else {
      show('Wrong user name or password.');
    }
  });
})();
