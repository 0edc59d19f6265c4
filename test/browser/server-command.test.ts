import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import { GENESIS_HASH, sealRecord } from '../../shared/journal/hash-chain.js';
import { testClock } from '../server/helpers.js';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { signIn, startWebServer, type WebServer } from './server-harness.js';

const HOUR = 3_600_000;
const clock = testClock(Date.now());
let server: WebServer;
let browser: TestBrowser;
let page: Page;
let errors: string[];
const credentials = new Map<string, string>();
let overduePassId = 0;

/** A station's journal: each record chained to the one before, as a real station writes it. */
function journal(stationId: string) {
  let seq = 0;
  let prev = GENESIS_HASH;
  const records: JournalRecord[] = [];
  return {
    records,
    add(r: Partial<JournalRecord> & Pick<JournalRecord, 'at' | 'kind' | 'lane' | 'direction' | 'verdict'>) {
      const rec = sealRecord({
        stationId, seq: ++seq, prevHash: prev, scannerId: 'sc-1', crossingId: null, reasons: [], codeKind: 'pass', passId: null, passProvince: null, passVersion: null,
        plate: null, citizenId: null, payloadHash: null, officer: null, note: null, policyVersion: 1, ...r,
      });
      prev = rec.hash;
      records.push(rec);
    },
  };
}

async function stationPost(stationId: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Station ${stationId}:${credentials.get(stationId)}` },
    body: JSON.stringify(body),
  });
}

async function heartbeat(stationId: string, lanes: [string, 'entry' | 'exit', 'connected' | 'unplugged'][]): Promise<void> {
  const res = await stationPost(stationId, '/api/v1/stations/heartbeat', {
    stationId, softwareVersion: '0.1.0', clock: clock() - 2000, cacheCursor: 42, cacheAgeMs: 30_000, outboxBacklog: 3, lastSeq: 10,
    scanners: lanes.map(([lane, direction, state], i) => ({ id: `sc-${i + 1}`, lane, direction, state, path: `/dev/ttyACM${i}`, lastReadAt: null })),
  });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ clock }), launchBrowser()]);
  const admin = { id: 1, username: 'admin79', role: 'admin' as const, province: 79 };
  for (const [stationId, checkpointId, name, latitude, longitude] of [['chot-ql1a', 1, 'Chốt QL1A Bình Chánh', 10.69, 106.57], ['chot-ql13', 2, 'Chốt QL13 Thủ Đức', 10.87, 106.75]] as const) {
    const { secret } = await server.app.stations.register(admin, { stationId, checkpointId, name, province: 79, latitude, longitude, lanes: [{ id: 'L1', direction: 'entry' }, { id: 'L2', direction: 'exit' }] });
    credentials.set(stationId, secret);
  }
  const transport = { username: 'seed', role: 'transport' as const, province: 79 };
  const crew = [{ citizenId: '079123456789', name: 'Nguyễn Văn Đức' }, { citizenId: '079987654321', name: 'Trần Thị Bích Ngọc' }];
  const pass = await server.app.passes.create(transport, { plate: '51C-123.45', goods: 0, crew, originZone: '79', destinationZone: '75', routeCheckpoints: [1, 2], routeProvinces: [], validTo: null, maxStayHours: 2 });
  overduePassId = pass.passId;
  const other = await server.app.passes.create(transport, { plate: '60C-456.78', goods: 1, crew: [{ citizenId: '079111222333', name: 'Lê Văn Hùng' }], originZone: '60', destinationZone: '79', routeCheckpoints: [1], routeProvinces: [], validTo: null });

  // Station A: the vehicle 51C-123.45 enters with its crew 3 h ago (overdue: 2 h stay); 60C-456.78 a minute later in the same lane;
  // a denied stranger; an officer's override. Station B: denied scans over the last hours.
  const now = clock();
  const a = journal('chot-ql1a');
  const t0 = now - 3 * HOUR;
  const base = { lane: 'L1', direction: 'entry' as const };
  a.add({ ...base, at: t0, kind: 'scan', verdict: 'ALLOW', crossingId: 'x1', codeKind: 'pass', passId: pass.passId, passProvince: 79, passVersion: 1, plate: '51C-123.45' });
  a.add({ ...base, at: t0 + 5000, kind: 'scan', verdict: 'ALLOW', crossingId: 'x1', codeKind: 'health', citizenId: '079123456789' });
  a.add({ ...base, at: t0 + 9000, kind: 'scan', verdict: 'ALLOW', crossingId: 'x1', codeKind: 'health', citizenId: '079987654321' });
  a.add({ ...base, at: t0 + 10_000, kind: 'crossing', verdict: 'ALLOW', crossingId: 'x1', passId: pass.passId, passProvince: 79, passVersion: 1, plate: '51C-123.45' });
  a.add({ ...base, at: t0 + 60_000, kind: 'crossing', verdict: 'ALLOW', crossingId: 'x2', passId: other.passId, passProvince: 79, passVersion: 1, plate: '60C-456.78' });
  a.add({ ...base, at: now - HOUR, kind: 'scan', verdict: 'DENY', reasons: ['BAD_SIGNATURE'], codeKind: 'none' });
  a.add({ ...base, at: now - HOUR + 30_000, kind: 'override', verdict: 'ALLOW', reasons: ['OFFICER_OVERRIDE'], plate: '60C-456.78', officer: 'Thiếu úy Phạm Minh Tuấn', note: 'Xe chở oxy y tế, đã kiểm tra giấy tờ gốc' });
  const b = journal('chot-ql13');
  for (let i = 0; i < 6; i++) {
    b.add({ lane: 'L2', direction: 'exit', at: now - (i + 1) * HOUR / 2, kind: 'scan', verdict: i % 2 ? 'DENY' : 'REVIEW', reasons: i % 2 ? ['REVOKED'] : ['HEALTH_DECLARATION_STALE'], codeKind: 'pass' });
  }
  for (const j of [a, b]) {
    const res = await stationPost(j.records[0]!.stationId, '/api/v1/ingest/batches', { stationId: j.records[0]!.stationId, records: j.records });
    const ack = await res.json() as { ackedSeq: number; rejected: unknown[] };
    expect(ack.rejected, JSON.stringify(ack.rejected)).toEqual([]);
    expect(ack.ackedSeq).toBe(j.records.length);
  }
  await heartbeat('chot-ql1a', [['L1', 'entry', 'connected'], ['L2', 'exit', 'connected']]);
  await heartbeat('chot-ql13', [['L1', 'entry', 'connected'], ['L2', 'exit', 'unplugged']]);

  page = await browser.newPage();
  errors = collectPageErrors(page);
  await signIn(page, server, 'command');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('server web app: command center', () => {
  it('the live feed shows one row per crossing with its crew (lone scans and overrides on their own rows), newest first, with the override\'s officer and reason, filtered by checkpoint and verdict', async () => {
    await page.goto(`${server.url}/app/#/command/feed`);
    const rows = page.getByTestId('feed').locator('tbody tr');
    // 2 vehicle crossings, 1 lone forged scan and 1 override at checkpoint 1; 6 lone scans at checkpoint 2
    await expect.poll(() => rows.count()).toBe(10);
    const vehicle = rows.filter({ hasText: '51C-123.45' });
    expect(await vehicle.count()).toBe(1);
    expect(await vehicle.textContent()).toMatch(/079123456789 CHO QUA079987654321 CHO QUA/);
    const times = await rows.locator('td:first-child').allTextContents();
    const asMinutes = (t: string) => { const m = /(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d)/.exec(t)!; return `${m[3]}${m[2]}${m[1]}${m[4]}${m[5]}`; };
    expect(times.map(asMinutes)).toEqual([...times.map(asMinutes)].sort().reverse());
    const text = await page.getByTestId('feed').textContent();
    expect(text).toContain('Thiếu úy Phạm Minh Tuấn · Xe chở oxy y tế, đã kiểm tra giấy tờ gốc');
    expect(text).toContain('Chữ ký số không hợp lệ (mã giả hoặc bị sửa)');
    // the schematic: each checkpoint where its coordinates put it (QL13 north-east of QL1A), coloured by its live state
    const dot = (id: string) => page.getByTestId('schematic').locator(`g[data-station="${id}"]`);
    await expect.poll(() => dot('chot-ql13').getAttribute('data-state')).toBe('warn');
    expect(await dot('chot-ql1a').getAttribute('data-state')).toBe('ok');
    const at = async (id: string) => { const c = dot(id).locator('circle'); return { x: Number(await c.getAttribute('cx')), y: Number(await c.getAttribute('cy')) }; };
    const [a, b] = [await at('chot-ql1a'), await at('chot-ql13')];
    expect(b.x).toBeGreaterThan(a.x);
    expect(b.y).toBeLessThan(a.y);
    await screenshot(page, 'server-command-feed');

    await page.getByLabel('Kết quả').selectOption('DENY');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    await page.getByLabel('Chốt', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Chữ ký số không hợp lệ');
    await screenshot(page, 'server-command-feed-filtered');
  });

  it('searches by plate, links a CSV export of the same search, and traces a person with co-travellers and nearby vehicles', async () => {
    await page.goto(`${server.url}/app/#/command/search`);
    await page.getByLabel('Biển số').fill('60c-456.78');
    await page.getByRole('button', { name: 'Tìm' }).click();
    const results = page.getByTestId('search-results');
    await expect.poll(() => results.locator('tbody tr').count()).toBe(2);
    await screenshot(page, 'server-command-search');
    const href = await page.getByRole('link', { name: 'Xuất CSV' }).getAttribute('href');
    expect(href).toContain('plate=60C-456.78');
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    expect(csv.trim().split('\n')).toHaveLength(3);

    await page.getByRole('link', { name: 'Truy vết' }).click();
    await page.getByLabel('Số CCCD').fill('079123456789');
    await page.getByRole('button', { name: 'Truy vết' }).click();
    const trace = page.getByTestId('trace');
    // each distinct contact once, with name and phone: the co-traveller (same vehicle) and the crew of
    // the vehicle a minute later in the same lane (known from its pass)
    const people = trace.getByTestId('contact-people').locator('tbody tr');
    await expect.poll(() => people.count()).toBe(2);
    const rows = await people.allTextContents();
    expect(rows[0]).toContain('Trần Thị Bích Ngọc');
    expect(rows[0]).toContain('079987654321');
    expect(rows[0]).toContain('Cùng xe');
    expect(rows[1]).toContain('Lê Văn Hùng');
    expect(rows[1]).toContain('Cùng làn');
    const vehicles = await trace.getByTestId('contact-vehicles').locator('tbody tr').allTextContents();
    expect(vehicles).toHaveLength(2);
    expect(vehicles.join(' ')).toContain('60C-456.78');
    // the contact list as CSV: BOM, Vietnamese, one line per person and vehicle
    const csvHref = await trace.getByRole('link', { name: 'Xuất CSV' }).getAttribute('href');
    const contactsCsv = await page.evaluate(async (url) => [...new Uint8Array(await (await fetch(url)).arrayBuffer())], csvHref!);
    expect(contactsCsv.slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = new TextDecoder().decode(new Uint8Array(contactsCsv.slice(3)));
    expect(csvText.trim().split('\r\n')).toHaveLength(1 + 2 + 2);
    expect(csvText).toContain('"Trần Thị Bích Ngọc","079987654321"');

    // flag the co-traveller F1 in one step, with a reason
    await trace.getByLabel('Chọn Trần Thị Bích Ngọc').check();
    page.once('dialog', (d) => void d.accept());
    await trace.getByRole('button', { name: 'Đánh dấu F1 những người đã chọn' }).click();
    await expect.poll(async () => { try { return (await server.app.healthData.get('079987654321')).status; } catch { return null; } }).toBe('F1');
    expect((await server.app.healthData.history('079987654321'))[0]).toMatchObject({ kind: 'flag', byUser: 'command79', reason: 'Tiếp xúc gần với ca 079123456789 (truy vết từ ca 079123456789)' });
    await expect.poll(() => people.first().textContent()).toContain('F1 (tiếp xúc gần)');
    await screenshot(page, 'server-command-trace');
  });

  it('lists the vehicle overdue to leave, and draws the charts of crossings per hour and deny reasons', async () => {
    await page.goto(`${server.url}/app/#/command/overdue`);
    await expect.poll(() => page.getByTestId('overdue').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('overdue').textContent()).toContain('51C-123.45');
    expect(await page.getByTestId('overdue').textContent()).toContain(`79-${overduePassId}`);
    await screenshot(page, 'server-command-overdue');

    await page.goto(`${server.url}/app/#/command/charts`);
    await expect.poll(() => page.getByTestId('chart-hourly').locator('svg rect').count()).toBeGreaterThan(3);
    const reasons = page.getByTestId('chart-reasons');
    await expect.poll(() => reasons.locator('svg text').allTextContents()).toContain('3');
    await screenshot(page, 'server-command-charts');
  });

  it('the daily report renders per checkpoint and its totals match the crossings table of the same day', async () => {
    await page.goto(`${server.url}/app/#/command/report`);
    const report = page.getByTestId('daily-report');
    await expect.poll(() => report.locator('tbody > tr').count()).toBe(2);
    const api = await page.evaluate(async () => (await fetch('/api/v1/reports/daily')).json()) as { from: number; to: number; totals: { crossings: number; denied: number } };
    const count = (q: string) => page.evaluate(async (url) => ((await (await fetch(url)).json()) as { items: unknown[] }).items.length,
      `/api/v1/crossings?kind=crossing&from=${api.from}&to=${api.to - 1}&limit=500${q}`);
    expect(api.totals.crossings).toBe(await count(''));
    expect(api.totals.denied).toBe(await count('&verdict=DENY'));
    expect(await report.textContent()).toContain(`Tổng: ${api.totals.crossings} lượt qua chốt, ${api.totals.denied} không cho qua`);
    await screenshot(page, 'server-command-daily-report');
  });

  it('the fleet shows each station\'s state and marks a station stale when its heartbeats stop', async () => {
    await page.goto(`${server.url}/app/#/command/fleet`);
    const row = (id: string) => page.getByTestId('fleet').locator('tbody tr', { hasText: id });
    await expect.poll(() => page.getByTestId('fleet').locator('tbody tr').count()).toBe(2);
    expect(await row('chot-ql1a').getByTestId('stale').count()).toBe(0);
    expect(await row('chot-ql13').locator('[data-code="SCANNER_UNPLUGGED"]').count()).toBe(1);
    await screenshot(page, 'server-command-fleet-ok');

    // five minutes pass (threshold 120 s): only chot-ql13 keeps sending heartbeats
    clock.advance(5 * 60_000);
    await heartbeat('chot-ql13', [['L1', 'entry', 'connected'], ['L2', 'exit', 'connected']]);
    await page.getByRole('button', { name: 'Làm mới' }).click();
    await expect.poll(() => row('chot-ql1a').getByTestId('stale').count()).toBe(1);
    expect(await row('chot-ql1a').locator('[data-code="HEARTBEAT_STALE"]').textContent()).toContain('phút');
    expect(await row('chot-ql13').getByTestId('stale').count()).toBe(0);
    expect(await row('chot-ql13').locator('[data-code="SCANNER_UNPLUGGED"]').count()).toBe(0);
    await screenshot(page, 'server-command-fleet-stale');
    // on a tablet the same view still shows every column (the table scrolls sideways inside its frame)
    await page.setViewportSize({ width: 768, height: 1024 });
    await screenshot(page, 'server-command-fleet-stale-tablet');
    await page.goto(`${server.url}/app/#/command/feed`);
    await expect.poll(() => page.getByTestId('feed').locator('tbody tr').count()).toBe(10);
    await screenshot(page, 'server-command-feed-tablet');
    expect(errors.filter((e) => !/status of 401/.test(e)), errors.join('\n')).toEqual([]);
  });
});
