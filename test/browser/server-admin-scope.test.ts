import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { signIn, startWebServer, type WebServer } from './server-harness.js';

let server: WebServer;
let browser: TestBrowser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('server web app: an admin sets a user\'s scope', () => {
  it('creates a district command center user in words (Quận/huyện: Quận 1) and the server holds that scope', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, server, 'admin');
    await page.goto(`${server.url}/app/#admin/users`);
    await page.getByLabel('Tên đăng nhập').fill('ttch.quan1');
    await page.getByLabel('Mật khẩu').fill('quan mot 2021 chi huy');
    await page.getByLabel('Vai trò').selectOption('command');
    const scope = page.getByLabel('Phạm vi');
    // a province admin is offered its own level and below, never national
    expect(await scope.locator('option').allTextContents()).toEqual(['Tỉnh/thành phố', 'Quận/huyện', 'Xã/phường/thị trấn']);
    await scope.selectOption('district');
    await page.getByLabel(/^Quận\/huyện/).fill('760');
    await page.getByRole('button', { name: 'Tạo', exact: true }).click();
    const row = page.locator('main tbody tr', { hasText: 'ttch.quan1' });
    await expect.poll(() => row.textContent()).toContain('Quận/huyện: Quận 1');
    await screenshot(page, 'server-admin-user-scope');
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ttch.quan1', password: 'quan mot 2021 chi huy' }) });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { user: unknown }).user).toMatchObject({ role: 'command', scopeLevel: 'district', district: '760', commune: null });
    expect(errors.filter((e) => !/status of (401|404|409|422)/.test(e))).toEqual([]);
  }, 120_000);
});
