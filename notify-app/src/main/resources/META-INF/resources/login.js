// The login form: Quarkus sends a failed login back here with ?error.
'use strict';
if (new URLSearchParams(location.search).has('error')) {
  document.getElementById('error').hidden = false;
}
