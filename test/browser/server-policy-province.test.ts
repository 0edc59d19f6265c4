import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNationalFixture } from '../../hardware-sim/fixtures/national.js';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { signIn, startWebServer, type WebServer } from './server-harness.js';

/**
 * A national deployment's policy page: a national admin picks the province whose policy it reads (and
 * would publish); a province with none of its own says so. Province users see only their own.
 */
let server: WebServer;
let browser: TestBrowser;
const NATIONAL = { username: 'quocgia', password: 'correct horse battery staple' };

beforeAll(async () => {
  const nation = createNationalFixture({ now: Date.now(), provinces: [79, 80] });
  [server, browser] = await Promise.all([
    startWebServer({ env: { DEPLOYMENT: 'national', NATIONAL_ROOT_PUBLIC_KEY: nation.root.publicKeyB64 } }),
    launchBrowser(),
  ]);
  await server.app.users.create(null, { ...NATIONAL, role: 'admin', province: 1, scopeLevel: 'national', displayName: 'Trần Văn Quốc' });
  server.users.admin = NATIONAL;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('server web app: a province\'s own policy', () => {
  it('a national admin picks the province; one with no policy of its own shows the deployment\'s', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, server, 'admin');
    await page.getByRole('link', { name: 'Chính sách' }).click();
    const picker = page.getByLabel('Tỉnh/thành phố');
    await picker.selectOption('80');
    await expect.poll(() => page.locator('main').textContent()).toContain('Tỉnh chưa ban hành chính sách riêng');
    expect(await picker.inputValue()).toBe('80');
    await screenshot(page, 'server-admin-policy-province');
    // the app asks who is signed in before the login form: that 401 is expected
    expect(errors.filter((e) => !/status of 401/.test(e)), errors.join('\n')).toEqual([]);
  });
});
