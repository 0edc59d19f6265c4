import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/auth/access.js';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { signIn, startWebServer, type WebServer } from './server-harness.js';

// What the browser or the validator would say in English if it reached a person: any of these on
// the page after a bad submission fails the test.
const ENGLISH = /please|must|match|pattern|format|fewer|characters|required|invalid|expected|querystring|body\/|params\//i;

let server: WebServer;
let browser: TestBrowser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser({ locale: 'en-US' })]);
  page = await browser.newPage();
  errors = collectPageErrors(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The messages a person sees after submitting: field messages and error boxes. */
async function messages(): Promise<string[]> {
  return (await page.locator('main .field-error:not(:empty), main .error, main [data-testid="row-errors"] td:nth-child(3)').allTextContents()).map((t) => t.trim()).filter(Boolean);
}

async function expectVietnameseOnly(name: string): Promise<string[]> {
  await expect.poll(async () => (await messages()).length, { message: `${name}: no message shown` }).toBeGreaterThan(0);
  const shown = await messages();
  for (const m of shown) expect(m, `${name}: English reached the screen`).not.toMatch(ENGLISH);
  // the browser's own bubbles never open: every form is checked by the app
  expect(await page.locator('main form:not([novalidate])').count(), `${name}: a form without novalidate`).toBe(0);
  await screenshot(page, `server-vi-forms-${name}`);
  return shown;
}

async function open(role: Role, view: string): Promise<void> {
  await signIn(page, server, role);
  await page.goto(`${server.url}/app/#/${view}`);
  await page.locator('main form').first().waitFor();
}

const cases: [string, Role, string, () => Promise<void>][] = [
  ['login', 'transport', '', async () => {
    await page.context().clearCookies();
    await page.goto(`${server.url}/app/`);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
  }],
  ['pass-new', 'transport', 'passes/new', async () => {
    await page.getByLabel('Biển số').fill('XYZ');
    await page.getByLabel('Họ và tên').fill('Nguyễn Văn An');
    await page.getByLabel('Số CCCD/CMND').fill('123');
    await page.getByLabel('Điện thoại').fill('gọi tôi');
    await page.getByLabel('Vùng xuất phát').fill('7');
    await page.getByLabel('Có hiệu lực từ').fill('31/02/2026 08:00');
    await page.getByRole('button', { name: 'Cấp giấy phép', exact: true }).click();
  }],
  ['pass-search', 'transport', 'passes', async () => {
    // one search box for plate, company, driver or citizen id: a single character is too short to search by
    await page.getByLabel('Biển số, doanh nghiệp, lái xe hoặc số CCCD').fill('5');
    await page.getByRole('button', { name: 'Tìm' }).click();
  }],
  ['person-lookup', 'health', 'health/person', async () => {
    await page.getByLabel('Số CCCD/CMND').fill('99');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
  }],
  ['crossing-search', 'command', 'command/search', async () => {
    await page.getByLabel('Số CCCD').fill('abc');
    await page.getByLabel('Từ', { exact: true }).fill('hôm qua');
    await page.getByRole('button', { name: 'Tìm' }).click();
  }],
  ['trace', 'command', 'command/trace', async () => {
    await page.getByLabel('Số CCCD').fill('0791');
    await page.getByLabel('Cùng làn trong ± phút').fill('9999');
    await page.getByRole('button', { name: 'Truy vết' }).click();
  }],
  ['user-create', 'admin', 'admin/users', async () => {
    await page.getByLabel('Tên đăng nhập').fill('tên có dấu');
    await page.getByLabel('Tỉnh').fill('');
    await page.getByRole('button', { name: 'Tạo' }).click();
  }],
  // passes the page's checks, refused by the server's schema: the answer is shown in Vietnamese
  ['user-create-server', 'admin', 'admin/users', async () => {
    await page.getByLabel('Tên đăng nhập').fill('nguyen.van.b');
    await page.getByLabel('Mật khẩu').fill('ngắn');
    await page.getByRole('button', { name: 'Tạo' }).click();
  }],
  ['zone', 'admin', 'admin/zones', async () => {
    await page.getByLabel('Vùng (mã tỉnh').fill('7-1');
    await page.getByRole('button', { name: 'Lưu' }).click();
  }],
];

describe('server web app: bad input is answered in Vietnamese only', () => {
  for (const [name, role, view, act] of cases) {
    it(`${name}: submitting bad input shows Vietnamese messages and no English`, async () => {
      if (view) await open(role, view);
      await act();
      const shown = await expectVietnameseOnly(name);
      if (name === 'pass-new') {
        expect(shown).toEqual(expect.arrayContaining([
          'Biển số viết như 51C-123.45 hoặc 29LD-012.34', 'Số CCCD gồm 12 chữ số (hoặc CMND 9 chữ số)',
          'Ngày giờ không hợp lệ, hãy viết dd/mm/yyyy HH:mm (giờ Việt Nam)',
        ]));
      }
      if (name === 'user-create-server') expect(shown.join(' ')).toMatch(/Mật khẩu: cần ít nhất \d+ ký tự/);
    });
  }

  it('a CSV import with three errors in one row reports all three in Vietnamese', async () => {
    await open('health', 'health/import');
    await page.getByLabel('Loại dữ liệu').selectOption('tests');
    // the first row names a person not known yet without a name: a rule only the service knows, said in Vietnamese too
    await page.getByLabel('hoặc dán nội dung').fill('Số CCCD,Loại xét nghiệm,Kết quả,Ngày lấy mẫu\n079123456789,Xét nghiệm RT-PCR,Âm tính,29/11/2026 09:00\n12345,Xét nghiệm máu,Âm tính,31/11/2026\n');
    await page.getByRole('button', { name: 'Nhập', exact: true }).click();
    const items = page.getByTestId('row-errors').locator('li');
    await expect.poll(() => items.count()).toBe(3);
    expect(await items.allTextContents()).toEqual([
      'Số CCCD: "12345" không đúng: gồm 12 chữ số (hoặc CMND 9 chữ số)',
      'Loại xét nghiệm: "Xét nghiệm máu" không nằm trong danh sách: Xét nghiệm RT-PCR, Test nhanh kháng nguyên',
      'Ngày lấy mẫu: "31/11/2026" không phải ngày giờ hợp lệ (viết dd/mm/yyyy hoặc dd/mm/yyyy HH:mm, giờ Việt Nam)',
    ]);
    await expectVietnameseOnly('health-import');
    expect(errors.filter((e) => !/status of (401|400|422)/.test(e))).toEqual([]);
  });

  it('the import templates download with a BOM and Vietnamese headers', async () => {
    await open('transport', 'passes/import');
    const href = await page.getByRole('link', { name: /Tải tệp mẫu/ }).getAttribute('href');
    const bytes = await page.evaluate(async (url) => [...new Uint8Array(await (await fetch(url!)).arrayBuffer())], href);
    expect(bytes.slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes.slice(3)));
    expect(text.startsWith('"Biển số","Loại hàng hóa","Số CCCD lái xe"')).toBe(true);
  });
});
