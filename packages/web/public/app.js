// Ward's placeholder page: status, sign-in and sign-out, through the HTTP API only.
const $ = (id) => document.getElementById(id);
let csrfToken = null;

async function api(path, options = {}) {
  const headers = { accept: 'application/json', ...(options.headers ?? {}) };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (csrfToken !== null && options.method !== undefined && options.method !== 'GET') {
    headers['x-csrf-token'] = csrfToken;
  }
  const response = await fetch(`/api/v1${path}`, { credentials: 'same-origin', ...options, headers });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

async function showStatus() {
  const health = await api('/health');
  $('health').textContent = health.status === 200 ? `up (Ward ${health.body.version})` : 'not answering';
  const ready = await api('/ready');
  $('ready').textContent =
    ready.status === 200 ? `ready (${ready.body.database})` : (ready.body?.detail ?? 'not ready');
}

async function showAccount() {
  const session = await api('/auth/session');
  if (session.status !== 200) {
    $('signin').hidden = false;
    $('account').hidden = true;
    return;
  }
  csrfToken = session.body.csrfToken;
  $('signin').hidden = true;
  $('account').hidden = false;
  $('who').textContent = session.body.user.displayName ?? session.body.user.username;
  $('role').textContent = session.body.user.role;
  $('permissions').textContent = session.body.permissions.join(', ') || 'none';
  const devices = await api('/devices?limit=500');
  $('device-count').textContent =
    devices.status === 200 ? String(devices.body.items.length) + (devices.body.nextCursor ? '+' : '') : 'not permitted';
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const result = await api('/auth/login', {
    method: 'POST',
    body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
  });
  $('login-error').textContent = result.status === 200 ? '' : (result.body?.detail ?? 'sign-in failed');
  event.target.reset();
  if (result.status === 200) await showAccount();
});

$('logout').addEventListener('click', async () => {
  await api('/auth/logout', { method: 'POST' });
  csrfToken = null;
  await showAccount();
});

await showStatus();
await showAccount();
