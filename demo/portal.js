// The host portal's own code: it signs a user in (demo sessions stand in for the portal's login),
// hands the token to <dm-provider>, and places the DM Kit elements. Tokens stay in memory.
const provider = document.getElementById('dm');
const users = document.getElementById('user-switcher');
const locale = document.getElementById('locale-switcher');
const theme = document.getElementById('theme-switcher');
const status = document.getElementById('portal-status');

async function api(path, init) {
  const response = await fetch(path, { ...init, headers: { 'content-type': 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body;
}

async function signIn(userId) {
  status.textContent = 'Signing in…';
  const session = await api('/v1/demo/session', { method: 'POST', body: JSON.stringify({ user: userId }) });
  provider.setAttribute('token', session.token);
  sessionStorage.setItem('dm-demo-user', userId);
  status.textContent = `Signed in as ${session.user.name}${session.user.partner ? ` (${session.user.partner.name})` : ''}.`;
  const slot = document.getElementById('showroom-slot');
  if (!slot.firstElementChild) slot.append(document.createElement('dm-journey-showroom'));
}

async function main() {
  const { items } = await api('/v1/demo/users');
  for (const user of items) {
    const label = `${user.name} — ${user.role.replace('_', ' ')}${user.partner ? `, ${user.partner.name}` : ''}`;
    users.append(new Option(label, user.id));
  }
  const preferred = sessionStorage.getItem('dm-demo-user');
  const first = items.find((u) => u.id === preferred) ?? items.find((u) => u.role === 'partner') ?? items[0];
  users.value = first.id;
  users.addEventListener('change', () => signIn(users.value).catch(showError));
  locale.addEventListener('change', () => {
    document.documentElement.lang = locale.value;
    provider.setAttribute('locale', locale.value);
  });
  theme.addEventListener('change', () => {
    provider.setAttribute('theme', theme.value);
    document.body.dataset.theme = theme.value;
  });
  await signIn(first.id);
}

function showError(error) {
  status.textContent = `Could not sign in: ${error.message}`;
}

main().catch(showError);
