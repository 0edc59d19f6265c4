import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/auth/access.js';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { menuOf, signIn, startWebServer, type WebServer } from './server-harness.js';

/** What each role's menu offers, and nothing else. */
const MENUS: Record<Role, string[]> = {
  transport: ['passes', 'passes/new', 'passes/import'],
  health: ['health/import', 'health/person', 'arrivals'],
  command: ['command/feed', 'command/search', 'command/trace', 'command/trips', 'command/overdue', 'command/fleet', 'command/charts', 'command/report', 'arrivals', 'alerts'],
  admin: ['admin/users', 'admin/stations', 'admin/zones', 'admin/policy', 'admin/access-log', 'admin/officers', 'alerts'],
  officer: ['officer'],
};
/** For each role, a view of another role and an API call the server must refuse it. */
const FORBIDDEN: Record<Role, { view: string; api: string }> = {
  transport: { view: 'admin/users', api: '/api/v1/users' },
  health: { view: 'passes/new', api: '/api/v1/passes' },
  command: { view: 'admin/access-log', api: '/api/v1/policy/history' },
  admin: { view: 'health/import', api: '/api/v1/crossings' },
  officer: { view: 'command/fleet', api: '/api/v1/stations' },
};

let server: WebServer;
let browser: TestBrowser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('server web app: role-based views', () => {
  it.each(Object.keys(MENUS) as Role[])('%s sees its own menu and views only; another role\'s view is refused', async (role) => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, server, role);
    expect(await menuOf(page)).toEqual(MENUS[role]);
    await expect.poll(() => page.locator('#who').textContent()).toContain(`Nguyễn Thị ${role}`);

    // every view of the menu opens without an error box, in Vietnamese
    for (const view of MENUS[role]) {
      await page.goto(`${server.url}/app/#/${view}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.locator('main .error').count(), `${role} ${view}`).toBe(0);
      await screenshot(page, `server-${role}-${view.replace(/\//g, '-')}`);
    }

    // another role's view: the screen refuses it, and so does the server
    await page.goto(`${server.url}/app/#/${FORBIDDEN[role].view}`);
    await expect(page.getByTestId('refusal').textContent()).resolves.toContain('403');
    const status = await page.evaluate(async (url) => (await fetch(url)).status, FORBIDDEN[role].api);
    expect([401, 403]).toContain(status);
    await screenshot(page, `server-${role}-refused`);

    // the role's first view in English, then back to Vietnamese (the choice is kept in the browser)
    await page.goto(`${server.url}/app/#/${MENUS[role][0]}`);
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('#logout').textContent()).toBe('Sign out');
    await page.waitForLoadState('networkidle');
    await screenshot(page, `server-${role}-english`);
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => page.locator('#logout').textContent()).toBe('Đăng xuất');
    expect(errors.filter((e) => !/\b40[13]\b/.test(e)), errors.join('\n')).toEqual([]);
  });

  it('switches to English and back, and signing out returns to the login form', async () => {
    const page = await browser.newPage('tablet');
    await signIn(page, server, 'command');
    await expect.poll(() => page.locator('#nav a').first().textContent()).toBe('Trực tiếp');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('#nav a').first().textContent()).toBe('Live feed');
    await screenshot(page, 'server-command-feed-english-tablet');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => page.locator('#nav a').first().textContent()).toBe('Trực tiếp');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    expect(await page.locator('#nav a').count()).toBe(0);
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(me).toBe(401);
  });

  it('a wrong password is refused with a message in Vietnamese', async () => {
    const page = await browser.newPage();
    await page.context().clearCookies();
    await page.goto(`${server.url}/app/`);
    await page.getByLabel('Tên đăng nhập').fill(server.users.admin.username);
    await page.getByLabel('Mật khẩu').fill('sai mật khẩu');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => page.locator('main .error').textContent()).toMatch(/Sai|không/i);
    await screenshot(page, 'server-login-refused');
  });

  it('every role\'s menu fits on one row beside the title, the signed-in line and the buttons', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    for (const role of Object.keys(MENUS) as Role[]) {
      await signIn(page, server, role);
      await screenshot(page, `server-menu-${role}-1366`);
      const tops = await page.locator('#nav a').evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
      expect(tops.length, role).toBe(MENUS[role].length);
      expect(new Set(tops).size, `${role}: ${tops.join(',')}`).toBe(1);
      // nothing of the bar spills past the window, and the bar is one line high
      const bar = await page.locator('header.topbar').evaluate((el) => ({ height: el.getBoundingClientRect().height, scroll: el.scrollWidth, width: el.clientWidth }));
      expect(bar.scroll, role).toBeLessThanOrEqual(bar.width);
      expect(bar.height, role).toBeLessThan(60);
    }
  }, 60_000);
});
