import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/auth/access.js';
import { collectPageErrors, screenshot } from './browser.js';
import { startE2E, until, type E2ESystem } from './e2e-rig.js';
import { signIn, type WebServer } from './server-harness.js';

/**
 * Arrivals for the communes through the whole system (issue 17, item 11): a walk-in from a level-4 zone
 * who declared a ward of Quận 1 is scanned at the real station (socat pty), the station's link uploads
 * the entry, and the ward's health staff find the person on their arrival list in the web app; the
 * neighbouring ward does not; the ward confirms contact and the city's count of unconfirmed arrivals
 * drops to zero.
 */
const DISTRICT = '760';
const WARD_A = '26734';
const WARD_B = '26737';
const PASSWORD = 'phuong ben nghe 2021';

let sys: E2ESystem;
let page: Page;
let errors: string[];

/** The demo server with one more user to sign in as (signIn takes its users by role). */
const as = (role: Role, username: string): WebServer => ({ ...sys.web, users: { ...sys.web.users, [role]: { username, password: PASSWORD } } });

async function openArrivals(server: WebServer, role: Role): Promise<void> {
  await signIn(page, server, role);
  await page.goto(`${sys.web.url}/app/#/arrivals`);
  await page.getByRole('heading', { name: 'Người về từ vùng dịch' }).waitFor();
  await page.getByTestId('arrivals-list').locator('table, p').first().waitFor();
}

beforeAll(async () => {
  sys = await startE2E({ syncIntervalMs: 1000 });
  const app = sys.rig.app!;
  for (const [username, commune] of [['tyt.benthanh', WARD_A], ['tyt.bennghe', WARD_B]] as const) {
    await app.users.create(null, { username, password: PASSWORD, role: 'health', province: 79, scopeLevel: 'commune', district: DISTRICT, commune, displayName: `Trạm y tế ${commune}` });
  }
  page = await sys.desk.newPage('laptop');
  page.setDefaultTimeout(10_000);
  errors = collectPageErrors(page);
}, 120_000);

afterAll(async () => {
  await sys?.close();
});

describe('arrivals for the communes, through the station and the web app', () => {
  it('a walk-in from a level-4 zone declaring ward A appears on ward A\'s list after the station uploads, not on ward B\'s; confirming it clears the city\'s count of unconfirmed arrivals', async () => {
    const app = sys.rig.app!;
    const walkIn = sys.rig.seed.walkIns.find((w) => w.sample.case === 'walk-in-level4-tested')!;
    const p = walkIn.sample.person;
    expect(p.originZone).toBe('01-001');
    // the person's declaration of where they are going, imported by the city's health staff as CSV
    const vn = (ms: number) => {
      const d = new Date(ms + 7 * 3_600_000);
      const two = (n: number) => String(n).padStart(2, '0');
      return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
    };
    await signIn(page, sys.web, 'health');
    await page.goto(`${sys.web.url}/app/#/health/import`);
    await page.getByLabel('Loại dữ liệu').selectOption('destinations');
    await page.getByLabel('hoặc dán nội dung').fill('Số CCCD,Họ và tên,Vùng đi,Mã quận/huyện đến,Mã xã/phường đến,Địa chỉ nơi đến,Ngày khai báo,Số điện thoại\n'
      + `${p.citizenId},${p.name},${p.originZone},${DISTRICT},${WARD_A},"45 Lê Thánh Tôn, phường Bến Thành",${vn(app.clock() - 3_600_000)},${p.phone}\n`);
    await page.getByRole('button', { name: 'Nhập', exact: true }).click();
    await expect.poll(() => page.getByTestId('import-result').textContent()).toContain('Đã nhập 1 dòng');
    expect(await page.locator('main a', { hasText: 'Tải tệp mẫu' }).getAttribute('href')).toBe('/api/v1/arrivals/declarations/template.csv');

    // before the crossing: nothing on ward A's list
    await openArrivals(as('health', 'tyt.benthanh'), 'health');
    await expect.poll(() => page.getByTestId('arrivals-list').textContent()).toContain('Không có người về cần theo dõi.');

    // the walk-in crosses at the real station (synced: it holds the health key that signed the code); its link uploads the entry
    await sys.rig.link.syncNow();
    const v = await sys.rig.scanAndWait(walkIn.code, 'entry');
    expect(v.verdict, JSON.stringify(v.reasons)).toBe('ALLOW');
    await until('the station uploaded the entry', async () =>
      (await app.database.client.get('SELECT 1 AS one FROM journal WHERE citizen_id = ? AND seq = ?', [p.citizenId, v.seq])) !== undefined, 15_000);

    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    const row = page.getByTestId('arrivals-list').locator('tbody tr', { hasText: p.name });
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain(p.phone);
    expect(text).toContain('Cấp 4 – nguy cơ rất cao (đỏ)');
    expect(text).toContain('Chốt Suối Tiên (QL1A)');
    expect(text).toContain('Âm tính');
    expect(text).toContain('Chưa xác nhận');
    // the time of entry in Vietnam time, dd/mm/yyyy HH:mm
    expect(text).toContain(vn(v.at));
    await screenshot(page, 'server-arrivals-ward-a');

    // the neighbouring ward's list does not have them
    await openArrivals(as('health', 'tyt.bennghe'), 'health');
    expect(await page.getByTestId('arrivals-list').textContent()).not.toContain(p.name);
    expect(await page.getByTestId('arrivals-list').textContent()).toContain('Không có người về cần theo dõi.');

    // the city's command center: one unconfirmed arrival, in ward A
    await openArrivals(sys.web, 'command');
    await expect.poll(() => page.getByTestId('unconfirmed-total').textContent()).toBe('Chưa xác nhận: 1 người');
    const wardRow = page.getByTestId('arrivals-summary').locator('tbody tr', { hasText: WARD_A });
    expect((await wardRow.locator('td').allTextContents()).slice(1, 3)).toEqual(['1', '1']);
    await screenshot(page, 'server-arrivals-city-before');

    // ward A confirms contact
    await openArrivals(as('health', 'tyt.benthanh'), 'health');
    await page.getByTestId('arrivals-list').locator('tbody tr', { hasText: p.name }).getByRole('button', { name: 'Đã liên hệ, theo dõi' }).click();
    await expect.poll(() => page.getByTestId('arrivals-list').textContent()).toContain('Không có người về cần theo dõi.');
    await page.getByLabel('Hiển thị').selectOption('all');
    await expect.poll(() => page.getByTestId('arrivals-list').textContent()).toContain('Đã liên hệ, đang theo dõi');
    expect(await page.getByTestId('arrivals-list').textContent()).toContain('tyt.benthanh');

    // the city's count is back to zero
    await openArrivals(sys.web, 'command');
    await expect.poll(() => page.getByTestId('unconfirmed-total').textContent()).toBe('Chưa xác nhận: 0 người');
    expect((await wardRow.locator('td').allTextContents()).slice(1, 3)).toEqual(['1', '0']);
    await screenshot(page, 'server-arrivals-city-after');
    // each sign-in starts signed out: the app's first /auth/me answers 401
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  }, 120_000);
});
