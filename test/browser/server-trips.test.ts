import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVnDateTime } from '../../shared/time/vietnam-time.js';
import { testClock } from '../server/helpers.js';
import { JournalWriter } from '../server/journal-fixtures.js';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { signIn, startWebServer, type WebServer } from './server-harness.js';

const HOUR = 3_600_000;
// Recent, on the hour (session cookies expire by the server clock): the browser runs in another zone,
// the screen must say Vietnam time
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 30 * HOUR;
const clock = testClock(T0 + 30 * HOUR);
const vn = (ms: number) => formatVnDateTime(ms);
const PLATE = '51C-123.45';
let server: WebServer;
let browser: TestBrowser;
let page: Page;
let errors: string[];

/** Pass 79-17 through Long An (80: in at 8001, out at 8002), then into Ho Chi Minh City (79, at 7901), still there. */
beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ clock }), launchBrowser({ timezoneId: 'America/New_York' })]);
  const lanes = [{ id: 'L1', direction: 'entry' as const }, { id: 'L2', direction: 'exit' as const }];
  const secrets = new Map<string, string>();
  for (const [stationId, checkpointId, province] of [['chot-7901', 7901, 79], ['chot-8001', 8001, 80], ['chot-8002', 8002, 80]] as const) {
    const admin = { id: 1, username: `admin${province}`, role: 'admin' as const, province };
    secrets.set(stationId, (await server.app.stations.register(admin, { stationId, checkpointId, name: `Chốt ${checkpointId}`, province, lanes })).secret);
  }
  const crew = ['079099000017'];
  const writers = new Map([['chot-8001', new JournalWriter('chot-8001')], ['chot-8002', new JournalWriter('chot-8002')], ['chot-7901', new JournalWriter('chot-7901')]]);
  writers.get('chot-8001')!.vehicle(T0, { crossingId: 'a', passId: 17, plate: PLATE, crew });
  writers.get('chot-8002')!.vehicle(T0 + 2 * HOUR, { crossingId: 'b', passId: 17, plate: PLATE, crew, lane: 'L2', direction: 'exit' });
  writers.get('chot-7901')!.vehicle(T0 + 3 * HOUR, { crossingId: 'c', passId: 17, plate: PLATE, crew });
  // a copied pass: 79-99 inside Ho Chi Minh City and entering Long An an hour later
  writers.get('chot-7901')!.vehicle(T0 + 4 * HOUR, { crossingId: 'd', passId: 99, plate: '51D-999.99', crew: ['079099000099'] });
  writers.get('chot-8001')!.vehicle(T0 + 5 * HOUR, { crossingId: 'e', passId: 99, plate: '51D-999.99', crew: ['079099000099'] });
  for (const [stationId, w] of writers) {
    const res = await fetch(`${server.url}/api/v1/ingest/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Station ${stationId}:${secrets.get(stationId)}` },
      body: JSON.stringify({ stationId, records: w.records }),
    });
    expect(await res.json()).toMatchObject({ rejected: [], chainBreaks: [] });
  }
  page = await browser.newPage();
  errors = collectPageErrors(page);
  await signIn(page, server, 'command');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('server web app: trips across provinces', () => {
  it('shows pass 79-17 entering and leaving Long An, then entering Ho Chi Minh City and overdue there, in Vietnamese and Vietnam time', async () => {
    await page.goto(`${server.url}/app/#/command/trips`);
    await page.getByLabel('Giấy phép hoặc biển số').fill('79-17');
    await page.getByRole('button', { name: 'Xem hành trình' }).click();
    const legs = page.getByTestId('trip-leg');
    await expect.poll(() => legs.count()).toBe(2);
    const trip = await page.getByTestId('trip').textContent();
    expect(trip).toContain('Tỉnh Long An → Thành phố Hồ Chí Minh');
    const [la, hcm] = await legs.allTextContents();
    // Long An is another province for this reader: when, not where
    expect(la).toContain(`Vào Tỉnh Long An lúc ${vn(T0)}; ra lúc ${vn(T0 + 2 * HOUR)}`);
    expect(la).toContain('Đã vào và đã ra');
    expect(la).not.toContain('8001');
    // its own checkpoint in full; 27 h inside against the default 24 h allowance
    expect(hcm).toContain(`Vào Thành phố Hồ Chí Minh tại chốt 7901 lúc ${vn(T0 + 3 * HOUR)}`);
    expect(hcm).toContain('Quá hạn chưa rời tỉnh');
    expect(hcm).toContain(`Phải rời tỉnh trước ${vn(T0 + 27 * HOUR)}`);
    expect(vn(T0)).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:00$/);
    await screenshot(page, 'server-command-trips');

    // the same trip by plate, and the read is in the access log
    await page.getByLabel('Giấy phép hoặc biển số').fill(PLATE.toLowerCase());
    await page.getByRole('button', { name: 'Xem hành trình' }).click();
    // The first search's panel already shows the plate, so the page alone cannot say the second search
    // was answered: wait for its read in the access log. 100 entries: the page's live feed logs its
    // reads every few seconds beside these two.
    const reads = async () =>
      (await server.app.accessLog.list({ id: 1, username: 'admin79', role: 'admin', province: 79 }, { limit: 100, offset: 0 })).items.map((e) => [e.action, e.subjectId]);
    await expect.poll(reads).toContainEqual(['trip', PLATE]);
    expect(await reads()).toContainEqual(['trip', '79-17']);
    expect(await page.getByTestId('trip').textContent()).toContain(`Biển số: ${PLATE}`);
    // (the 401 is the sign-in page asking who is signed in, before anyone is)
    expect(errors.filter((e) => !/status of 401/.test(e)), errors.join('\n')).toEqual([]);
  });

  it('lists the copied pass seen inside two provinces at once among the open alerts, in words', async () => {
    await page.goto(`${server.url}/app/#/command/fleet`);
    const row = page.locator('tr', { hasText: 'Nghi mã bị sao chép' });
    await expect.poll(() => row.count()).toBe(1);
    const text = await row.textContent();
    expect(text).toContain(`Giấy phép 79-99 vào chốt 7901 (Thành phố Hồ Chí Minh) lúc ${vn(T0 + 4 * HOUR)}, rồi lại vào chốt 8001 (Tỉnh Long An) lúc ${vn(T0 + 5 * HOUR)} khi chưa ra`);
    // the stored developer text only behind the details toggle
    expect(await row.innerText()).not.toContain('without leaving');
    await row.getByText('Chi tiết kỹ thuật').click();
    await expect.poll(() => row.innerText()).toContain('without leaving');
    await screenshot(page, 'server-command-national-clone');
  });

  it('says what to type when the text is neither a pass nor a plate, and asks nothing of the server', async () => {
    await page.goto(`${server.url}/app/#/command/trips`);
    let asked = 0;
    page.on('request', (r) => void (r.url().includes('/api/v1/trips') && asked++));
    await page.getByLabel('Giấy phép hoặc biển số').fill('xe tải');
    await page.getByRole('button', { name: 'Xem hành trình' }).click();
    await expect.poll(() => page.getByText('Nhập mã giấy phép dạng 79-17 hoặc biển số dạng 51C-123.45').count()).toBe(1);
    expect(asked).toBe(0);
  });
});
