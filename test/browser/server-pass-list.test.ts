import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { signIn, startWebServer, type WebServer } from './server-harness.js';

let server: WebServer;
let browser: TestBrowser;
const DAY = 86_400_000;
const actor = { username: 'transport79', role: 'transport' as const, province: 79 };

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function issue(plate: string, over: { company?: string; driver?: string; citizenId?: string; days?: number | null } = {}) {
  const now = Date.now();
  return server.app.passes.create(actor, {
    plate, company: over.company ?? 'Công ty Vận tải Sài Gòn', goods: 0,
    crew: [{ citizenId: over.citizenId ?? `0790${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, name: over.driver ?? 'Nguyễn Văn Tài', phone: '0901234567' }],
    originZone: '79', destinationZone: '75', routeCheckpoints: [1], routeProvinces: [], permittedStops: null,
    validFrom: now - DAY, validTo: over.days === null ? null : now + (over.days ?? 60) * DAY,
  });
}

describe('server web app: the transport list of passes', () => {
  it('searches by company, driver, citizen id or plate, filters passes expiring soon, sorts and pages on the server, prints selected sheets and refuses a revoked one', async () => {
    const phuMy = await issue('61H-126.61', { company: 'Công ty Phú Mỹ', driver: 'Lê Văn Khánh', citizenId: '079201000001', days: 3 });
    const hoa = await issue('49C-555.01', { company: 'HTX Rau Đà Lạt', driver: 'Phạm Thị Hoa', citizenId: '068301000002', days: 5 });
    for (let i = 0; i < 52; i++) await issue(`51D-${String(100 + i)}.00`);
    const revoked = await issue('51K-999.99');
    await server.app.passes.revoke(actor, revoked.passId, 'Doanh nghiệp đề nghị thu hồi');

    const page = await browser.newPage();
    await signIn(page, server, 'transport');
    const errors = collectPageErrors(page);
    await page.goto(`${server.url}/app/#/passes`);
    const results = page.getByTestId('pass-results');
    const search = async (text: string) => {
      await page.getByLabel('Biển số, doanh nghiệp, lái xe hoặc số CCCD').fill(text);
      await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    };
    const plates = () => results.locator('tbody tr td:nth-child(3)').allTextContents();

    // the first page of 50, with the total
    await expect.poll(() => page.getByTestId('pager').textContent()).toBe('1–50 trên 55‹ Trang trướcTrang sau ›');
    await page.getByRole('button', { name: 'Trang sau ›' }).click();
    await expect.poll(() => page.getByTestId('pager').textContent()).toContain('51–55 trên 55');
    await expect.poll(async () => (await plates()).length).toBe(5);

    // by company, driver's name, citizen id, part of a plate
    for (const [text, plate] of [['Phú Mỹ', phuMy.plate], ['Thị Hoa', hoa.plate], ['068301000002', hoa.plate], ['61H12661', phuMy.plate]] as const) {
      await search(text);
      await expect.poll(plates, { message: text }).toEqual([plate]);
    }

    // expiring within 7 days, sorted by the end date
    await search('');
    await page.getByLabel('Sắp hết hạn (trong 7 ngày)').check();
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await expect.poll(async () => (await plates()).length).toBe(2);
    await results.getByRole('button', { name: /Hiệu lực đến/ }).click();
    await expect.poll(plates).toEqual([phuMy.plate, hoa.plate]);
    await results.getByRole('button', { name: /Hiệu lực đến/ }).click();
    await expect.poll(plates).toEqual([hoa.plate, phuMy.plate]);
    await screenshot(page, 'server-transport-pass-list-expiring');

    // two selected: one document with both sheets
    await results.getByLabel(`Chọn giấy phép #${phuMy.passId}`).check();
    await results.getByLabel(`Chọn giấy phép #${hoa.passId}`).check();
    const [sheets] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('print-selected').click()]);
    await sheets.waitForLoadState();
    expect(await sheets.locator('section.sheet').count()).toBe(2);
    expect(await sheets.locator('section.sheet .plate').allTextContents()).toEqual([phuMy.plate, hoa.plate]);
    await screenshot(sheets, 'server-transport-bulk-sheets');
    await sheets.close();

    // a revoked pass in the selection: nothing is printed, and the screen says which
    await page.getByLabel('Sắp hết hạn (trong 7 ngày)').uncheck();
    await search('51K-999.99');
    await results.getByLabel(`Chọn giấy phép #${revoked.passId}`).check();
    const opened: unknown[] = [];
    page.context().on('page', (p) => opened.push(p));
    await page.getByTestId('print-selected').click();
    await expect.poll(() => page.getByTestId('print-refused').textContent()).toBe(`Không in được giấy phép không còn hiệu lực: #${revoked.passId} (51K-999.99)`);
    expect(opened).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a pass shows its history, and a change with only spaces as its reason is refused at the reason field in Vietnamese, then saved with one and listed', async () => {
    const pass = await issue('51F-777.77');
    await server.app.passes.suspend(actor, pass.passId, 'Kiểm tra lộ trình');
    const page = await browser.newPage();
    await signIn(page, server, 'transport');
    await page.goto(`${server.url}/app/#/passes/${pass.passId}`);
    const history = page.getByTestId('pass-history');
    await expect.poll(() => history.locator('tbody tr').count()).toBe(2);
    expect(await history.locator('tbody tr').nth(1).textContent()).toContain('Tạm dừng1transport79Kiểm tra lộ trình');

    // the app's own check (the server refuses it too: test/server-issuing/pass-lists.test.ts)
    const reinstate = page.locator('form[data-action="reinstate"]');
    await reinstate.getByLabel('Lý do (bắt buộc)').fill('   ');
    await reinstate.getByRole('button').click();
    await expect.poll(() => reinstate.locator('.field-error').textContent()).toBe('Vui lòng nhập mục này');
    await reinstate.getByLabel('Lý do (bắt buộc)').fill('Đã khắc phục');
    await reinstate.getByRole('button').click();
    await expect.poll(() => history.locator('tbody tr').count()).toBe(3);
    expect(await history.locator('tbody tr').nth(2).textContent()).toContain('Đã khắc phục');
    await screenshot(page, 'server-transport-pass-history');
  }, 60_000);
});
