// The shell: who is signed in, the menu their role may use, and a hash router (#/passes/12) that
// refuses views the role may not open. The server refuses the same calls on its side.
import { ApiError, api, errorText, loadMeta, setCsrfToken } from './api.js';
import { fill, h } from './dom.js';
import { L, currentLang, setLang } from './i18n.js';
import { provinceName, roleLabel } from './words.js';
import adminViews from './views/admin.js';
import officerAdminViews from './views/officers.js';
import commandViews from './views/command.js';
import healthViews from './views/health.js';
import { renderLogin } from './views/login.js';
import officerViews from './views/officer.js';
import transportViews from './views/transport.js';
import arrivalViews from './views/arrivals.js';
import { noticeKind, renderNotices, startNotices, stopNotices, unreadCount } from './notifications.js';

/** View: { path: 'passes/:id', roles, title(): string, nav?: boolean, render(main, ctx) } */
const VIEWS = [...transportViews, ...healthViews, ...commandViews, ...adminViews, ...officerAdminViews, ...officerViews, ...arrivalViews,
  { path: 'alerts', roles: ['command', 'admin'], nav: true, title: () => `${L('Cảnh báo', 'Alerts')}${unreadCount() ? ` (${unreadCount()})` : ''}`, render: renderNotices }];

const $ = (id) => document.getElementById(id);
let user = null;
let cleanups = [];

function match(path) {
  const parts = path.split('/').filter(Boolean);
  for (const view of VIEWS) {
    const pattern = view.path.split('/');
    if (pattern.length !== parts.length) continue;
    const params = {};
    const ok = pattern.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = decodeURIComponent(parts[i])), true) : p === parts[i]));
    if (ok) return { view, params };
  }
  return null;
}

const allowed = (view) => user !== null && view.roles.includes(user.role);
const homePath = () => VIEWS.find((v) => v.nav && allowed(v))?.path ?? '';

export function go(path) {
  location.hash = `#/${path}`;
}

export function toast(text, kind = 'notice') {
  const box = fill($('toast'), h('div', { class: kind }, text));
  setTimeout(() => box.firstChild?.textContent === text && box.replaceChildren(), 5000);
}

function renderChrome(activePath) {
  document.title = L('Hệ thống chốt kiểm soát', 'Checkpoint control system');
  $('brand').textContent = L('Chốt kiểm soát', 'Checkpoint control');
  $('lang').textContent = currentLang() === 'vi' ? 'English' : 'Tiếng Việt';
  $('logout').hidden = user === null;
  $('logout').textContent = L('Đăng xuất', 'Sign out');
  $('who').textContent = user ? `${user.displayName || user.username} · ${roleLabel(user.role)} · ${provinceName(user.province)}` : '';
  // the line is cut to keep the menu on one row; the whole of it shows on hover
  $('who').title = $('who').textContent;
  const links = user ? VIEWS.filter((v) => v.nav && allowed(v)) : [];
  // the longest menu path that the current path starts with is the active one
  const active = links.map((v) => v.path).filter((p) => activePath === p || activePath.startsWith(`${p}/`)).sort((a, b) => b.length - a.length)[0];
  fill($('nav'), links.map((v) => h('a', { href: `#/${v.path}`, class: v.path === active ? 'active' : '', 'data-view': v.path }, v.title())));
}

function refusal(main, title, text) {
  fill(main, h('div', { class: 'card refusal', 'data-testid': 'refusal' },
    h('div', { class: 'big' }, title),
    h('p', {}, text),
    h('a', { href: `#/${homePath()}` }, L('Về trang chính', 'Back to the main page'))));
}

async function render() {
  for (const fn of cleanups.splice(0)) fn();
  const main = $('main');
  if (!user) {
    renderChrome('');
    renderLogin(main, { onSignedIn });
    return;
  }
  const path = location.hash.replace(/^#\/?/, '') || homePath();
  renderChrome(path);
  const found = match(path);
  if (!found) return refusal(main, '404', L('Không có trang này.', 'There is no such page.'));
  if (!allowed(found.view)) {
    return refusal(main, '403', L('Bạn không có quyền xem trang này.', 'You are not allowed to view this page.'));
  }
  document.title = `${found.view.title()} · ${document.title}`;
  fill(main, h('p', { class: 'muted' }, L('Đang tải…', 'Loading…')));
  const ctx = { user, params: found.params, go, toast, onLeave: (fn) => cleanups.push(fn) };
  try {
    await found.view.render(main, ctx);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return signedOut();
    fill(main, h('h1', {}, found.view.title()), h('div', { class: 'error' }, errorText(err)));
  }
}

function showNotices(items) {
  for (const n of items.slice(-3)) toast(`${noticeKind(n.kind)}: ${L(n.messageVi, n.message)}`, 'error');
  renderChrome(location.hash.replace(/^#\/?/, ''));
}

function onSignedIn(session) {
  user = session.user;
  startNotices(user, showNotices);
  setCsrfToken(session.csrfToken);
  if (!location.hash || location.hash === '#/') location.hash = `#/${homePath()}`;
  void render();
}

function signedOut() {
  user = null;
  stopNotices();
  setCsrfToken(null);
  void render();
}

async function start() {
  setLang(currentLang());
  $('lang').addEventListener('click', () => {
    setLang(currentLang() === 'vi' ? 'en' : 'vi');
    void render();
  });
  $('logout').addEventListener('click', async () => {
    await api('POST', '/api/v1/auth/logout').catch(() => undefined);
    signedOut();
  });
  window.addEventListener('hashchange', () => void render());
  await loadMeta().catch(() => undefined);
  try {
    const session = await api('GET', '/api/v1/auth/me');
    user = session.user;
    setCsrfToken(session.csrfToken);
    startNotices(user, showNotices);
  } catch {
    user = null;
  }
  await render();
}

void start();
