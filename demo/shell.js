// The host portal's shell, shared by the demo pages: its header (navigation, user, language and theme
// switchers) and a sign-in that stands in for the portal's own login. The token is handed to
// <dm-provider> and kept in memory only.
const PAGES = [
  { href: './', label: 'Marketing' },
  { href: './approvals.html', label: 'Approvals' },
  { href: './dashboard.html', label: 'Brand dashboard' },
  { href: './outbox.html', label: 'Outbox' },
];

async function api(path, init) {
  const response = await fetch(path, { ...init, headers: { 'content-type': 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body;
}

function header(current) {
  const bar = document.createElement('header');
  bar.className = 'portal-bar';
  const nav = PAGES.map(
    (p) => `<a href="${p.href}"${p.href === current ? ' aria-current="page"' : ''}>${p.label}</a>`,
  ).join('');
  bar.innerHTML = `
    <a class="portal-logo" href="./">DealerNet</a>
    <nav aria-label="Portal">${nav}</nav>
    <div class="portal-controls">
      <label>Signed in as <select id="user-switcher"></select></label>
      <label>Language <select id="locale-switcher">
        <option value="en">English</option><option value="zh-CN">简体中文</option></select></label>
      <label>Theme <select id="theme-switcher">
        <option value="light">Light</option><option value="dark">Dark</option><option value="auto">System</option></select></label>
    </div>`;
  document.body.prepend(bar);
  return bar;
}

/**
 * Builds the header, signs in a sample user (the remembered one, else the first with `preferRole`),
 * passes the token to every <dm-provider> on the page, then calls `onSignedIn(session)`.
 */
export async function startPortal({ current, preferRole = 'partner', onSignedIn = () => {} }) {
  const bar = header(current);
  const users = bar.querySelector('#user-switcher');
  const locale = bar.querySelector('#locale-switcher');
  const theme = bar.querySelector('#theme-switcher');
  const status = document.getElementById('portal-status');
  const providers = () => document.querySelectorAll('dm-provider');

  locale.value = localStorage.getItem('dm-demo-locale') ?? 'en';
  theme.value = localStorage.getItem('dm-demo-theme') ?? 'light';
  const applyLocale = () => {
    document.documentElement.lang = locale.value;
    for (const p of providers()) p.setAttribute('locale', locale.value);
    localStorage.setItem('dm-demo-locale', locale.value);
  };
  const applyTheme = () => {
    document.body.dataset.theme = theme.value;
    for (const p of providers()) p.setAttribute('theme', theme.value);
    localStorage.setItem('dm-demo-theme', theme.value);
  };
  locale.addEventListener('change', applyLocale);
  theme.addEventListener('change', applyTheme);
  applyLocale();
  applyTheme();

  const signIn = async (userId) => {
    if (status) status.textContent = 'Signing in…';
    const session = await api('/v1/demo/session', { method: 'POST', body: JSON.stringify({ user: userId }) });
    for (const p of providers()) p.setAttribute('token', session.token);
    sessionStorage.setItem('dm-demo-user', userId);
    const who = `${session.user.name}${session.user.partner ? ` (${session.user.partner.name})` : ''}`;
    if (status) status.textContent = `Signed in as ${who}.`;
    onSignedIn(session);
    return session;
  };
  const fail = (error) => {
    if (status) status.textContent = `Could not sign in: ${error.message}`;
  };

  try {
    const { items } = await api('/v1/demo/users');
    for (const user of items) {
      const role = user.role.replace('_', ' ');
      users.append(
        new Option(`${user.name} — ${role}${user.partner ? `, ${user.partner.name}` : ''}`, user.id),
      );
    }
    const remembered = items.find((u) => u.id === sessionStorage.getItem('dm-demo-user'));
    const first = remembered ?? items.find((u) => u.role === preferRole) ?? items[0];
    users.value = first.id;
    users.addEventListener('change', () => signIn(users.value).catch(fail));
    await signIn(first.id);
  } catch (error) {
    fail(error);
  }
}
