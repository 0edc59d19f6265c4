import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { decodeQrPng, imageLoaded, signIn, startWebServer, type WebServer } from './server-harness.js';

let server: WebServer;
let browser: TestBrowser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The pass as the API gives it, called from the page with the transport user's own session. */
async function apiPass(page: Page, passId: number): Promise<{ code: string; status: string; validTo: number | null; version: number; crew: { name: string }[] }> {
  return page.evaluate(async (id) => (await fetch(`/api/v1/passes/${id}`)).json() as Promise<never>, passId);
}

describe('server web app: transport issues and manages a pass', () => {
  it('issues a pass in the form, opens its print sheet, and the QR on the sheet decodes to the API\'s code', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, server, 'transport');
    await page.getByRole('link', { name: 'Cấp giấy phép' }).click();
    const form = page.getByTestId('pass-form');
    await form.getByLabel('Biển số').fill('51C-123.45');
    await form.getByLabel('Doanh nghiệp vận tải').fill('Công ty TNHH Vận tải Hưng Thịnh');
    await form.getByLabel('Loại hàng hóa').selectOption('1');
    await form.getByLabel('Họ và tên').fill('Nguyễn Văn Đức');
    await form.getByLabel('Số CCCD/CMND').fill('079123456789');
    await form.getByLabel('Điện thoại').fill('0901234567');
    await page.getByRole('button', { name: '+ Thêm phụ xe' }).click();
    await form.getByLabel('Họ và tên').nth(1).fill('Trần Thị Bích Ngọc');
    await form.getByLabel('Số CCCD/CMND').nth(1).fill('079987654321');
    await form.getByLabel('Vùng xuất phát (mã tỉnh hoặc tỉnh-huyện)').fill('79');
    await form.getByLabel('Vùng đến').fill('75-731');
    await form.getByLabel(/Các chốt trên lộ trình/).fill('1, 2');
    await form.getByLabel('Điểm xếp dỡ hàng được phép').fill('Kho Tân Cảng, Quận 2; Chợ đầu mối Bình Điền');
    await form.getByLabel('Đến khi có thông báo mới').check();
    await screenshot(page, 'server-transport-issue-filled');
    await page.getByRole('button', { name: 'Cấp giấy phép', exact: true }).click();

    await page.waitForURL(/#\/passes\/\d+$/);
    const passId = Number(/passes\/(\d+)$/.exec(page.url())![1]);
    const pass = await apiPass(page, passId);
    expect(pass.status).toBe('ACTIVE');
    expect(pass.validTo).toBeNull();
    expect(pass.crew.map((c) => c.name)).toEqual(['Nguyễn Văn Đức', 'Trần Thị Bích Ngọc']);
    await expect.poll(() => page.getByTestId('pass-code').textContent()).toBe(pass.code);
    await imageLoaded(page.locator('.qr img'));
    await screenshot(page, 'server-transport-pass-detail');

    const [sheet] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('print-sheet').click()]);
    await sheet.waitForLoadState('load');
    await sheet.setViewportSize({ width: 1000, height: 1400 });
    await screenshot(sheet, 'server-transport-print-sheet');
    expect(await sheet.locator('body').textContent()).toContain('51C-123.45');
    const qrPng = await sheet.locator('.qr svg').screenshot();
    expect(decodeQrPng(qrPng)).toBe(pass.code);
    await sheet.close();

    // amend: a new version with a new code, the form pre-filled with the current one
    await page.getByRole('button', { name: 'Sửa giấy phép' }).click();
    await page.getByTestId('pass-form').getByLabel('Họ và tên').nth(1).fill('Trần Thị Bích Hạnh');
    await page.getByLabel('Lý do sửa').fill('Đổi phụ xe');
    await page.getByRole('button', { name: 'Lưu phiên bản mới' }).click();
    await expect.poll(async () => (await apiPass(page, passId)).version).toBe(2);
    const amended = await apiPass(page, passId);
    expect(amended.crew.map((c) => c.name)).toEqual(['Nguyễn Văn Đức', 'Trần Thị Bích Hạnh']);
    expect(amended.code).not.toBe(pass.code);
    expect(amended.validTo).toBeNull();
    await expect.poll(() => page.getByTestId('pass-code').textContent()).toBe(amended.code);
    expect(errors.filter((e) => !/status of 401/.test(e)), errors.join('\n')).toEqual([]);
  });

  it('extends, suspends, reinstates and revokes a pass with reasons; the API agrees at each step', async () => {
    const page = await browser.newPage();
    await signIn(page, server, 'transport');
    const { passId } = await server.app.passes.create({ username: 'seed', role: 'transport', province: 79 }, {
      plate: '60C-456.78', goods: 0, crew: [{ citizenId: '079111222333', name: 'Lê Văn Hùng' }], originZone: '79', destinationZone: '60',
      routeCheckpoints: [1], routeProvinces: [], validTo: Date.now() + 3 * 86_400_000,
    });
    await page.goto(`${server.url}/app/#/passes/${passId}`);
    const action = (name: string) => page.locator(`form[data-action="${name}"]`);

    await action('extend').getByLabel('Đến khi có thông báo mới').check();
    // every change needs a reason: without one the app says so in Vietnamese and sends nothing
    await action('extend').getByRole('button').click();
    await expect.poll(() => action('extend').locator('.field-error').textContent()).toBe('Vui lòng nhập mục này');
    expect((await apiPass(page, passId)).validTo).not.toBeNull();
    await action('extend').getByLabel('Lý do (bắt buộc)').fill('Theo chỉ đạo của tỉnh');
    await action('extend').getByRole('button').click();
    await expect.poll(async () => (await apiPass(page, passId)).validTo).toBeNull();
    await expect.poll(() => page.locator('main').textContent()).toContain('đến khi có thông báo mới');

    await action('suspend').getByLabel('Lý do (bắt buộc)').fill('Xe đi sai lộ trình đăng ký');
    await action('suspend').getByRole('button').click();
    await expect.poll(async () => (await apiPass(page, passId)).status).toBe('SUSPENDED');
    await expect.poll(() => page.locator('main .error').first().textContent()).toContain('Xe đi sai lộ trình đăng ký');
    await screenshot(page, 'server-transport-pass-suspended');

    await action('reinstate').getByLabel('Lý do (bắt buộc)').fill('Doanh nghiệp đã khắc phục');
    await action('reinstate').getByRole('button').click();
    await expect.poll(async () => (await apiPass(page, passId)).status).toBe('ACTIVE');

    page.once('dialog', (d) => void d.accept());
    await action('revoke').getByLabel('Lý do (bắt buộc)').fill('Doanh nghiệp đề nghị thu hồi');
    await action('revoke').getByRole('button').click();
    await expect.poll(async () => (await apiPass(page, passId)).status).toBe('REVOKED');
    await expect.poll(() => page.locator('form[data-action]').count()).toBe(0);
    // a revoked pass is not offered for printing, and its sheet carries no QR
    expect(await page.getByTestId('print-sheet').count()).toBe(0);
    expect(await page.getByTestId('no-print').textContent()).toContain('không in được');
    const sheetHtml = await page.evaluate(async (id) => (await fetch(`/api/v1/passes/${id}/sheet`)).text(), passId);
    expect(sheetHtml).not.toContain('<svg');
    expect(sheetHtml).toContain('KHÔNG CÓ GIÁ TRỊ');
    await screenshot(page, 'server-transport-pass-revoked');

    // found by part of its plate, without punctuation
    await page.goto(`${server.url}/app/#/passes`);
    await page.getByLabel('Biển số').fill('60C45678');
    await page.getByRole('button', { name: 'Tìm' }).click();
    await expect.poll(() => page.getByTestId('pass-results').textContent()).toContain('60C-456.78');

    // found by the search
    await page.getByRole('link', { name: 'Giấy phép', exact: true }).click();
    await page.getByLabel('Biển số').fill('60C-456.78');
    await page.getByRole('button', { name: 'Tìm' }).click();
    await expect.poll(() => page.getByTestId('pass-results').locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'server-transport-search');
  });

  it('bulk import shows each bad row with its line and imports nothing; a good file imports all', async () => {
    const page = await browser.newPage();
    await signIn(page, server, 'transport');
    await page.getByRole('link', { name: 'Nhập CSV' }).click();
    const header = 'plate,goods,driverId,driverName,originZone,destinationZone,routeCheckpoints';
    const bad = [header, '51D-111.11,0,079000000001,Phạm Văn Minh,79,75,1', '51D-222.22,9,079000000002,Hoàng Thị Lan,79,75,1', 'BIỂN SAI,0,079000000003,Vũ Văn Nam,79,75,1'].join('\n');
    const before = (await server.app.passes.search({ username: 'x', role: 'admin', province: 79 }, { limit: 200 })).items.length;
    await page.getByLabel('hoặc dán nội dung').fill(bad);
    await page.getByRole('button', { name: 'Nhập', exact: true }).click();
    const errs = page.getByTestId('row-errors');
    await expect.poll(() => errs.locator('tbody tr').count()).toBe(2);
    const cells = await errs.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(cells).toEqual(['3', '4']);
    expect((await server.app.passes.search({ username: 'x', role: 'admin', province: 79 }, { limit: 200 })).items.length).toBe(before);
    await screenshot(page, 'server-transport-import-errors');

    await page.getByLabel('hoặc dán nội dung').fill([header, '51D-111.11,0,079000000001,Phạm Văn Minh,79,75,1', '51D-222.22,3,079000000002,Hoàng Thị Lan,79,75,1'].join('\n'));
    await page.getByRole('button', { name: 'Nhập', exact: true }).click();
    await expect.poll(() => page.getByTestId('import-result').textContent()).toContain('Đã nhập 2 giấy phép');
    expect((await server.app.passes.search({ username: 'x', role: 'admin', province: 79 }, { limit: 200 })).items.length).toBe(before + 2);
  });
});
