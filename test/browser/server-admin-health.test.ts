import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCode } from '../../shared/codes/read-code.js';
import type { SignedDocument } from '../../shared/trust/signed-document.js';
import { TrustList } from '../../shared/trust/trust-list.js';
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

const noErrors = (errors: string[]) => expect(errors.filter((e) => !/status of (401|404|409|422)/.test(e)), errors.join('\n')).toEqual([]);

describe('server web app: health staff', () => {
  it('imports declarations with per-row errors, looks a person up (access-logged) and issues a health code whose QR decodes', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, server, 'health');
    const header = 'citizenId,name,declaredAt,originZone,phone,doses';
    await page.getByLabel('hoặc dán nội dung').fill([header, '079123456789,Nguyễn Văn Đức,2021-09-01T07:30,79,0901234567,2', '12345,Người Sai Số,2021-09-01T07:30,79,,'].join('\n'));
    await page.getByRole('button', { name: 'Nhập', exact: true }).click();
    await expect.poll(() => page.getByTestId('row-errors').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('row-errors').locator('tbody td').nth(1).textContent()).toBe('3');
    await screenshot(page, 'server-health-import-errors');

    // good rows as JSON (two: a one-row JSON array is refused by the server's schema coercion, reported)
    await page.getByLabel('Định dạng').selectOption('json');
    await page.getByLabel('hoặc dán nội dung').fill(JSON.stringify([
      { citizenId: '079123456789', name: 'Nguyễn Văn Đức', declaredAt: '2021-09-01T07:30', originZone: '79', phone: '0901234567', doses: 2 },
      { citizenId: '079987654321', name: 'Trần Thị Bích Ngọc', declaredAt: '2021-09-01T07:35', originZone: '79-760' },
    ]));
    await page.getByRole('button', { name: 'Nhập', exact: true }).click();
    await expect.poll(() => page.getByTestId('import-result').textContent()).toContain('Đã nhập 2 dòng');

    await page.getByRole('link', { name: 'Tra cứu người' }).click();
    await page.getByLabel('Số CCCD/CMND').fill('079123456789');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await expect.poll(() => page.getByTestId('person').locator('h2').textContent()).toContain('Nguyễn Văn Đức');
    await page.getByRole('button', { name: 'Cấp mã y tế' }).click();
    const img = page.getByTestId('health-code').locator('img');
    await img.waitFor();
    await imageLoaded(img);
    const code = await page.getByTestId('health-code').locator('.mono').textContent();
    expect(code).toMatch(/^VNH1:/);
    const decoded = decodeQrPng(await img.screenshot());
    // the image is issued by a second request (its signing time may differ by a second): it must verify
    // with the server's trust list and name the same person
    const { pem } = await (await fetch(`${server.url}/api/v1/trust/root`)).json() as { pem: string };
    const { document } = await (await fetch(`${server.url}/api/v1/trust/list`)).json() as { document: SignedDocument };
    const read = readCode(decoded ?? '', TrustList.open(document, createPublicKey(pem)), Date.now());
    expect(read.ok && read.kind === 'health' ? read.health.citizenId : read).toBe('079123456789');
    await screenshot(page, 'server-health-person-code');

    const log = await server.app.accessLog.list({ id: 1, username: 'admin79', role: 'admin', province: 79 }, { subjectId: '079123456789', limit: 50, offset: 0 });
    expect(log.items.map((e) => e.action)).toContain('person.read');
    noErrors(errors);
  });
});

describe('server web app: admin', () => {
  it('finds a person by name, corrects the vaccine doses with a reason, reads the history and prints the health code with its validity', async () => {
    const now = Date.now();
    await server.app.healthData.apply({ username: 'nhap' }, [
      { kind: 'declaration', citizenId: '079200300400', name: 'Huỳnh Thị Mỹ Duyên', phone: '0903111222', declaredAt: now - 3_600_000, originZone: '79-760', doses: 1 },
      { kind: 'test', citizenId: '079200300400', name: null, phone: null, test: { type: 'RT_PCR', result: 'NEGATIVE', sampledAt: now - 5 * 3_600_000 } },
    ]);
    const page = await browser.newPage();
    await signIn(page, server, 'health');
    const errors = collectPageErrors(page);
    await page.goto(`${server.url}/app/#/health/person`);
    await page.getByLabel('Họ tên hoặc số điện thoại').fill('Mỹ Duyên');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await page.getByTestId('people-found').getByRole('link', { name: 'Huỳnh Thị Mỹ Duyên' }).click();
    const history = page.getByTestId('person-history');
    await expect.poll(() => history.locator('tbody tr').count()).toBe(2);

    const edit = page.getByTestId('person-edit');
    await edit.getByLabel('Số mũi tiêm').fill('2');
    await edit.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => edit.locator('.field-error').first().textContent()).toBe('Vui lòng nhập mục này');
    await edit.getByLabel('Lý do (bắt buộc)').fill('Bổ sung mũi 2 theo sổ tiêm chủng');
    await edit.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => page.getByTestId('person-history').locator('tbody tr').count()).toBe(3);
    const first = await page.getByTestId('person-history').locator('tbody tr').first().textContent();
    expect(first).toContain('Sửa hồ sơSố mũi tiêm: 2health79Bổ sung mũi 2 theo sổ tiêm chủng');
    expect((await server.app.healthData.get('079200300400')).doses).toBe(2);
    expect(await page.getByTestId('person-history').textContent()).toContain('Xét nghiệm RT-PCR · Âm tính');
    await screenshot(page, 'server-health-person-edited');

    const [sheet] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('print-health-code').click()]);
    await sheet.waitForLoadState();
    expect(await sheet.getByTestId('valid-until').textContent()).toMatch(/^Xét nghiệm có giá trị đến \d\d\/\d\d\/\d{4} \d\d:\d\d \(giờ VN\)$/);
    await screenshot(sheet, 'server-health-code-sheet');
    noErrors(errors);
  }, 60_000);

  it('creates a user, registers a station and sees its credential once, sets a zone level, publishes a policy, reads the access log', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, server, 'admin');

    await page.getByLabel('Tên đăng nhập').fill('cb.giaothong2');
    await page.getByLabel('Họ tên').fill('Đặng Thị Hồng Nhung');
    await page.getByLabel('Mật khẩu').fill('mật khẩu mới 2021');
    await page.getByLabel('Vai trò').selectOption('transport');
    await page.getByRole('button', { name: 'Tạo', exact: true }).click();
    await expect.poll(() => page.locator('main table').textContent()).toContain('Đặng Thị Hồng Nhung');
    await screenshot(page, 'server-admin-users-created');
    // disable the new user: asked first (cancelled: still active), then confirmed; the server refuses their login
    const userRow = page.locator('main tbody tr', { hasText: 'cb.giaothong2' });
    const asked: string[] = [];
    page.once('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
    await userRow.getByRole('button', { name: 'Khóa' }).click();
    await expect.poll(() => asked).toEqual(['Khóa tài khoản cb.giaothong2? Người này sẽ không đăng nhập được.']);
    expect(await userRow.textContent()).toContain('Hoạt động');
    page.once('dialog', (d) => void d.accept());
    await userRow.getByRole('button', { name: 'Khóa' }).click();
    await expect.poll(() => page.locator('main tbody tr', { hasText: 'cb.giaothong2' }).textContent()).toContain('Đã khóa');
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'cb.giaothong2', password: 'mật khẩu mới 2021' }) });
    expect(login.status).toBe(401);

    await page.getByRole('link', { name: 'Trạm' }).click();
    await page.getByLabel('Mã trạm').fill('chot-ql51');
    await page.getByLabel('Tên', { exact: true }).fill('Chốt QL51 Long Thành');
    await page.getByLabel('Mã chốt').fill('7');
    await page.getByLabel('Mã làn').fill('L1');
    await page.getByRole('button', { name: 'Đăng ký' }).click();
    const secret = page.getByTestId('station-secret');
    await expect.poll(() => secret.textContent()).toMatch(/^chot-ql51:.{16,}/);
    const credential = (await secret.textContent())!;
    await screenshot(page, 'server-admin-station-credential');
    // the credential works for the station...
    const hb = await fetch(`${server.url}/api/v1/stations/heartbeat`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Station ${credential}` },
      body: JSON.stringify({ stationId: 'chot-ql51', softwareVersion: '0.1.0', clock: Date.now(), cacheCursor: null, cacheAgeMs: null, outboxBacklog: 0, lastSeq: 0, scanners: [] }),
    });
    expect(hb.status).toBe(200);
    // ...and is shown once: after a reload it is nowhere on the page
    await page.reload();
    await page.locator('main table').waitFor();
    expect(await page.getByTestId('station-secret').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain(credential.split(':')[1]);

    await page.getByRole('link', { name: 'Vùng dịch' }).click();
    await page.getByLabel(/Vùng \(mã tỉnh/).fill('79-760');
    await page.getByLabel('Cấp độ').selectOption('4');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => page.locator('main table').textContent()).toContain('Cấp 4 · đỏ');
    expect((await server.app.zones.list()).find((z) => z.zone === '79-760')?.level).toBe(4);
    await screenshot(page, 'server-admin-zones');
    // removing a zone's level is confirmed: cancelled, it stays
    const zoneRow = page.locator('main tbody tr', { hasText: '79-760' });
    page.once('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
    await zoneRow.getByRole('button').click();
    await expect.poll(() => asked.length).toBe(2);
    expect(asked[1]).toMatch(/^Xóa cấp độ dịch của .*\? Các chốt sẽ không còn áp dụng cấp độ này\.$/);
    expect((await server.app.zones.list()).find((z) => z.zone === '79-760')?.level).toBe(4);

    await page.getByRole('link', { name: 'Chính sách' }).click();
    await page.getByLabel('Hiệu lực xét nghiệm RT-PCR (giờ)').fill('120');
    await page.getByRole('button', { name: 'Ban hành phiên bản mới' }).click();
    await expect.poll(() => page.getByTestId('published').textContent()).toContain('phiên bản 2');
    expect((await server.app.policy.current()).policy.testValidityHours.RT_PCR).toBe(120);
    await screenshot(page, 'server-admin-policy-published');

    await page.getByRole('link', { name: 'Nhật ký truy cập' }).click();
    await page.getByLabel(/Đối tượng \(số CCCD/).fill('079123456789');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await expect.poll(() => page.locator('main table').textContent()).toContain('person.read');
    // the rows on screen as CSV: BOM, Vietnamese headers
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('access-log-csv').click()]);
    const bytes = await (await import('node:fs/promises')).readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('"Thời điểm (giờ Việt Nam)","Người dùng"');
    expect(bytes.toString('utf8')).toContain('"079123456789"');
    // a date range in the future finds nothing
    await page.getByLabel('Từ (giờ Việt Nam)').fill('01/01/2099 00:00');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Không có mục nào.');
    await screenshot(page, 'server-admin-access-log');
    noErrors(errors);
  });
});
