import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, testClock, userWithRole, type TestCaller } from '../helpers.js';
import { arrivalWorld, COMMUNE_A, COMMUNE_B, DISTRICT, HOUR, upload, walkIn, type ArrivalWorld } from './arrival-fixture.js';

/**
 * Arrivals for the communes (issue 17 item 11) through the API: declarations of where people go,
 * joined with the entries stations upload, read by area; the commune's follow-up and the province's counts.
 */
const NOW = Date.parse('2026-11-30T08:00:00+07:00');
const RED_A = '001099000001'; // from a level-4 zone, to commune A: entered
const RED_B = '001099000002'; // from a level-4 zone, to commune B: entered
const YELLOW_B = '079099000003'; // from a level-2 zone, to commune B: entered, not followed up by policy
const REFUSED_B = '001099000004'; // from a level-4 zone, to commune B: turned back (DENY)
const NOT_YET = '001099000005'; // declared, no entry yet

interface Arrival { id: number; citizenId: string; name: string; phone: string | null; originZone: string; originLevel: number; commune: string; checkpointId: number; checkpointName: string | null; enteredAt: number; test: unknown; outcome: string | null; outcomeBy: string | null; outcomeAt: number | null }
interface Summary { province: number; hours: number; levels: number[]; communes: { commune: string; arrivals: number; unconfirmed: number; overdue: number }[] }

let app: FastifyInstance;
let w: ArrivalWorld;
const clock = testClock(NOW);

const declare = (caller: TestCaller, body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/arrivals/declarations', headers: caller.headers, payload: body });
const person = (citizenId: string, originZone: string, commune: string) => ({
  citizenId, name: `Trần Thị ${citizenId.slice(-1)}`, phone: `090000000${citizenId.slice(-1)}`, originZone, district: DISTRICT, commune,
  address: `${citizenId.slice(-1)} Lê Lợi, phường Bến Nghé`, declaredAt: NOW - 3 * HOUR,
});
async function list(caller: TestCaller, query = ''): Promise<Arrival[]> {
  const res = await app.inject({ url: `/api/v1/arrivals${query}`, headers: caller.headers });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Arrival[] }).items;
}
async function summary(caller: TestCaller, query = ''): Promise<Summary> {
  const res = await app.inject({ url: `/api/v1/arrivals/summary${query}`, headers: caller.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Summary;
}
const ids = (items: Arrival[]) => items.map((a) => a.citizenId).sort();

beforeAll(async () => {
  app = await makeTestApp({ clock });
  w = await arrivalWorld(app);
  for (const [id, zone, commune] of [[RED_A, '01-001', COMMUNE_A], [RED_B, '01', COMMUNE_B], [YELLOW_B, '79-760', COMMUNE_B], [REFUSED_B, '01', COMMUNE_B], [NOT_YET, '01', COMMUNE_A]] as const) {
    const res = await declare(w.health, person(id, zone, commune));
    expect(res.statusCode, res.body).toBe(201);
  }
  // the latest test the health authority holds for one of them
  await app.healthData.apply({ username: w.health.username }, [{ kind: 'test', citizenId: RED_A, name: 'Trần Thị 1', phone: null, test: { type: 'RT_PCR', result: 'NEGATIVE', sampledAt: NOW - 20 * HOUR } }]);
  walkIn(w.journal, NOW - 2 * HOUR, RED_A);
  walkIn(w.journal, NOW - 2 * HOUR + 60_000, RED_B, 'REVIEW');
  walkIn(w.journal, NOW - 2 * HOUR + 120_000, YELLOW_B);
  walkIn(w.journal, NOW - 2 * HOUR + 180_000, REFUSED_B, 'DENY');
  // the same person scanned again later at the entry lane: still one arrival, at the first entry
  walkIn(w.journal, NOW - HOUR, RED_A);
});
afterAll(async () => app?.close());

describe('arrival lists by area', () => {
  it('nothing is listed before the station uploads; after the upload commune A sees its arrival from the level-4 zone, once, with name, phone, origin, test, checkpoint and time of entry', async () => {
    expect(await list(w.communeA)).toEqual([]);
    await upload(app, w);
    const items = await list(w.communeA);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      citizenId: RED_A, name: 'Trần Thị 1', phone: '0900000001', originZone: '01-001', originLevel: 4, commune: COMMUNE_A,
      checkpointId: 7901, checkpointName: 'Chốt chot-7901', enteredAt: NOW - 2 * HOUR,
      test: { type: 'RT_PCR', result: 'NEGATIVE', sampledAt: NOW - 20 * HOUR }, outcome: null,
    });
  });

  it('commune B sees its own arrival from a level-4 zone and not commune A\'s; a level-2 origin and a person turned back are not arrivals', async () => {
    expect(ids(await list(w.communeB))).toEqual([RED_B]);
  });

  it('the district sees both communes\' arrivals; the province too', async () => {
    expect(ids(await list(w.district))).toEqual([RED_A, RED_B]);
    expect(ids(await list(w.province))).toEqual([RED_A, RED_B]);
  });

  it('every read of the list is written to the access log, one entry per person read', async () => {
    await list(w.communeA);
    const rows = await app.database.client.all<{ subject_id: string; subject_type: string }>(
      'SELECT subject_id, subject_type FROM access_log WHERE username = ? AND action = ?', [w.communeA.username, 'arrivals.list']);
    expect(rows.filter((r) => r.subject_id === RED_A).length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.subject_type === 'arrival')).toBe(true);
  });

  it('the province sees per commune how many arrivals are unconfirmed, and how many of them past N hours', async () => {
    const s = await summary(w.province, '?hours=1');
    expect(s).toMatchObject({ province: 79, hours: 1, levels: [4] });
    expect(s.communes).toEqual([
      { province: 79, district: DISTRICT, commune: COMMUNE_A, arrivals: 1, unconfirmed: 1, overdue: 1 },
      { province: 79, district: DISTRICT, commune: COMMUNE_B, arrivals: 1, unconfirmed: 1, overdue: 1 },
    ]);
    expect((await summary(w.province, '?hours=24')).communes.map((c) => c.overdue)).toEqual([0, 0]);
    // a commune user's counts are its own commune's only
    expect((await summary(w.communeB)).communes.map((c) => c.commune)).toEqual([COMMUNE_B]);
  });
});

describe('the commune follows up', () => {
  it('commune B cannot mark commune A\'s arrival (answered as not found, in Vietnamese)', async () => {
    const [a] = await list(w.communeA);
    const res = await app.inject({ method: 'POST', url: `/api/v1/arrivals/${a!.id}/outcome`, headers: w.communeB.headers, payload: { outcome: 'monitored' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ messageVi: 'Không tìm thấy người về này trong địa bàn của bạn' });
  });

  it('commune A confirms contact: recorded with who and when, gone from the unconfirmed list, and the province\'s count of unconfirmed arrivals for A drops to 0', async () => {
    const [a] = await list(w.communeA);
    clock.advance(5 * 60_000);
    const res = await app.inject({ method: 'POST', url: `/api/v1/arrivals/${a!.id}/outcome`, headers: w.communeA.headers, payload: { outcome: 'monitored', note: 'Đã gọi điện, cách ly tại nhà' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ citizenId: RED_A, outcome: 'monitored', outcomeBy: w.communeA.username, outcomeAt: clock() });
    expect(await list(w.communeA)).toEqual([]);
    expect((await list(w.communeA, '?show=all'))[0]).toMatchObject({ outcome: 'monitored', outcomeBy: w.communeA.username });
    const s = await summary(w.province, '?hours=1');
    expect(s.communes.find((c) => c.commune === COMMUNE_A)).toMatchObject({ arrivals: 1, unconfirmed: 0, overdue: 0 });
    expect(s.communes.find((c) => c.commune === COMMUNE_B)).toMatchObject({ unconfirmed: 1 });
    const history = await app.database.client.all<{ outcome: string; by_user: string }>('SELECT outcome, by_user FROM arrival_outcomes WHERE citizen_id = ?', [RED_A]);
    expect(history).toEqual([{ outcome: 'monitored', by_user: w.communeA.username }]);
  });

  it('a newer declaration (a new trip) replaces the old one and must be followed up again; the same one sent twice changes nothing', async () => {
    const again = await declare(w.health, { ...person(RED_B, '01', COMMUNE_B) });
    expect(again.json()).toEqual({ changed: false });
    const [b] = await list(w.communeB);
    await app.inject({ method: 'POST', url: `/api/v1/arrivals/${b!.id}/outcome`, headers: w.communeB.headers, payload: { outcome: 'not-found' } });
    expect(await list(w.communeB)).toEqual([]);
    const newer = await declare(w.health, { ...person(RED_B, '01', COMMUNE_B), declaredAt: NOW - 2.5 * HOUR, address: '9 Hàm Nghi' });
    expect(newer.json()).toEqual({ changed: true });
    expect(await list(w.communeB)).toEqual([expect.objectContaining({ citizenId: RED_B, outcome: null })]);
  });
});

describe('declarations: import and bad input', () => {
  it('a CSV with Vietnamese headers and dd/mm/yyyy dates is imported; its arrival shows once the entry is uploaded', async () => {
    const csv = '\uFEFFSố CCCD,Họ và tên,Vùng đi,Mã quận/huyện đến,Mã xã/phường đến,Địa chỉ nơi đến,Ngày khai báo,Số điện thoại\n'
      + `001099000006,Lê Văn Sáu,01-001,${DISTRICT},${COMMUNE_A},"6 Đồng Khởi, phường Bến Nghé",30/11/2026 05:00,0912345678\n`;
    const res = await app.inject({ method: 'POST', url: '/api/v1/arrivals/declarations/import', headers: { ...w.health.headers, 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ imported: 1, changed: 1 });
    walkIn(w.journal, clock() - 30 * 60_000, '001099000006');
    await upload(app, w);
    expect(await list(w.communeA)).toEqual([expect.objectContaining({ citizenId: '001099000006', name: 'Lê Văn Sáu', phone: '0912345678' })]);
  });

  it('the template has the Vietnamese headers and a BOM', async () => {
    const res = await app.inject({ url: '/api/v1/arrivals/declarations/template.csv', headers: w.health.headers });
    expect(res.statusCode).toBe(200);
    expect(res.body.startsWith('\uFEFF"Số CCCD","Họ và tên","Vùng đi","Mã quận/huyện đến","Mã xã/phường đến","Địa chỉ nơi đến","Ngày khai báo"')).toBe(true);
  });

  it('a row with three errors reports all three in Vietnamese, and nothing is imported', async () => {
    const csv = 'Số CCCD,Họ và tên,Vùng đi,Mã quận/huyện đến,Mã xã/phường đến,Địa chỉ nơi đến,Ngày khai báo\n'
      + `12345,Nguyễn Văn Bảy,01,999,${COMMUNE_A},1 Lý Tự Trọng,31/02/2026\n`
      + `001099000008,Nguyễn Văn Tám,01,${DISTRICT},${COMMUNE_A},1 Lý Tự Trọng,30/11/2026\n`;
    const res = await app.inject({ method: 'POST', url: '/api/v1/arrivals/declarations/import', headers: { ...w.health.headers, 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(422);
    const rows = (res.json() as { rows: { row: number; messageVi: string; errors: { messageVi: string }[] }[] }).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.errors.map((e) => e.messageVi.split(':')[0])).toEqual(['Mã quận/huyện đến', 'Số CCCD', 'Ngày khai báo']);
    expect(await app.database.client.get('SELECT 1 FROM arrival_declarations WHERE citizen_id = ?', ['001099000008'])).toBeUndefined();
  });

  it('bad fields get Vietnamese messages naming the field', async () => {
    const res = await declare(w.health, { ...person('001099000009', '01', COMMUNE_A), commune: '2673', district: '76' });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { messageVi: string; fields: { messageVi: string }[] };
    expect(body.fields.map((f) => f.messageVi).join(' ')).toMatch(/Quận\/huyện: .*mã quận\/huyện gồm 3 chữ số/);
    const commune = await declare(w.health, { ...person('001099000009', '01', COMMUNE_A), commune: '2673' });
    expect((commune.json() as typeof body).fields.map((f) => f.messageVi).join(' ')).toMatch(/Xã\/phường: .*mã xã\/phường gồm 5 chữ số/);
    const wrongDistrict = await declare(w.health, { ...person('001099000009', '01', COMMUNE_A), district: '001' });
    expect(wrongDistrict.statusCode).toBe(400);
    expect(wrongDistrict.json()).toMatchObject({ messageVi: 'Mã quận/huyện đến: "001" không phải mã quận/huyện của tỉnh 79' });
    const outcome = await app.inject({ method: 'POST', url: '/api/v1/arrivals/1/outcome', headers: w.communeA.headers, payload: { outcome: 'maybe' } });
    expect(outcome.statusCode).toBe(400);
    expect((outcome.json() as { messageVi: string }).messageVi).toMatch(/^Kết quả liên hệ/);
  });

  it('a declaration for another province is refused to a province\'s health staff; a national reader must name the province', async () => {
    const other = await declare(w.health, { ...person('001099000010', '01', COMMUNE_A), province: 80, district: '803' });
    expect(other.statusCode).toBe(403);
    const otherProvince = await userWithRole(app, 'command', 1);
    // a national reader (a national deployment's centre) names the province it reads
    const centre = { username: 'ttch.trung-uong', province: 1, scope: { level: 'national' as const } };
    const missing = app.arrivals.list(centre, { show: 'all', days: 14, limit: 10 });
    await expect(missing).rejects.toMatchObject({ messageVi: 'Tỉnh/thành phố: cần chọn tỉnh' });
    expect(ids(await app.arrivals.list(centre, { province: 79, show: 'all', days: 14, limit: 10 }) as unknown as Arrival[])).toContain(RED_B);
    // a province's reader cannot look into another province
    const elsewhere = await app.inject({ url: '/api/v1/arrivals?province=80', headers: otherProvince.headers });
    expect(elsewhere.statusCode).toBe(403);
  });

  it('no input that passes the schema gives a 500', async () => {
    const nat = await userWithRole(app, 'command', 80);
    const reads = ['?days=60&limit=500&show=all', '?days=1&limit=1', '?province=79', '/summary?hours=0&days=60', '/summary?hours=720', '/summary?province=79'];
    for (const q of reads) {
      for (const caller of [w.communeA, w.district, w.province, nat]) {
        const res = await app.inject({ url: `/api/v1/arrivals${q}`, headers: caller.headers });
        expect(res.statusCode, `${q}: ${res.body}`).toBeLessThan(500);
      }
    }
    const edges = [
      { ...person('001099000011', '01', COMMUNE_A), declaredAt: 0 },
      { ...person('001099000012', '99-999', COMMUNE_A), declaredAt: 8_640_000_000_000 },
      { ...person('001099000013', '01', '00000'), province: 79, phone: '+84 90 000-0000' },
      { citizenId: '001099000014', name: 'A', originZone: '01', district: DISTRICT, commune: COMMUNE_A, address: 'x'.repeat(300) },
    ];
    for (const body of edges) {
      const res = await declare(w.health, body);
      expect(res.statusCode, res.body).toBeLessThan(500);
    }
    for (const id of [1, 2_147_483_648, Number.MAX_SAFE_INTEGER]) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/arrivals/${id}/outcome`, headers: w.province.headers, payload: { outcome: 'not-found', note: null } });
      expect(res.statusCode, res.body).toBeLessThan(500);
    }
    for (const body of ['Số CCCD\n1', '[]', 'a,b,c\n"unterminated']) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/arrivals/declarations/import', headers: { ...w.health.headers, 'content-type': body === '[]' ? 'application/json' : 'text/csv' }, payload: body });
      expect(res.statusCode, res.body).toBeLessThan(500);
    }
  });
});
