import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, registerStation, testClock, userWithRole, type TestCaller, type TestStation } from './helpers.js';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import { JournalWriter } from './journal-fixtures.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2021, 8, 1, 8);

describe('audit for the command center', () => {
  let app: FastifyInstance;
  let admin: TestCaller;
  let command: TestCaller;
  let a: TestStation;
  let b: TestStation;
  let wa: JournalWriter;
  const clock = testClock();

  const upload = async (st: TestStation, records: JournalRecord[] | JournalWriter) => {
    const list = Array.isArray(records) ? records : records.records;
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: st.stationId, records: list } });
    expect(res.json()).toMatchObject({ rejected: [], chainBreaks: [] });
  };
  const get = async (url: string, who: TestCaller = command) => {
    const res = await app.inject({ url, headers: who.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Record<string, unknown> & { items: Record<string, unknown>[] };
  };

  beforeEach(async () => {
    clock.set(T0 + 2 * HOUR);
    app = await makeTestApp({ clock, env: { RETENTION_DAYS: '30', DEFAULT_MAX_STAY_HOURS: '24' } });
    admin = await userWithRole(app, 'admin', 1);
    command = await userWithRole(app, 'command', 1);
    a = await registerStation(app, admin, { stationId: 'chot-a', checkpointId: 11 });
    b = await registerStation(app, admin, { stationId: 'chot-b', checkpointId: 22 });
    wa = new JournalWriter(a.stationId);
    wa.vehicle(T0, { crossingId: 'c1', passId: 7, plate: '51C-123.45', crew: ['001099000001', '001099000002'] });
    wa.vehicle(T0 + 3 * MIN, { crossingId: 'c2', passId: 8, plate: '29A-999.99', crew: ['001099000003'] });
    wa.vehicle(T0 + 30 * MIN, { crossingId: 'c3', passId: 9, plate: '30F-111.11', crew: ['001099000004'], verdict: 'DENY', reasons: ['EXPIRED', 'TEST_REQUIRED'] });
    wa.vehicle(T0 + 40 * MIN, { crossingId: 'c4', passId: 8, plate: '29A-999.99', crew: ['001099000003'], lane: 'L2', direction: 'exit' });
    await upload(a, wa);
  });
  afterEach(async () => app.close());

  it('searches by plate, writes the read to the access log, and an admin can read that log', async () => {
    const found = await get('/api/v1/crossings?plate=51C-123.45');
    expect(found.items.map((r) => r.kind).sort()).toEqual(['crossing', 'scan']);
    expect(found.items[0]).toMatchObject({ stationId: 'chot-a', checkpointId: 11, plate: '51C-123.45' });
    const log = await get('/api/v1/access-log?subjectType=vehicle', admin);
    // the query's row; the people the answer showed have rows of their own (subjectType person)
    expect(log.items).toEqual([expect.objectContaining({ username: command.username, role: 'command', action: 'crossings.search', subjectId: '51C-123.45' })]);
    expect(log.total).toBe(1);
  });

  it('filters by verdict, reason, lane, direction and time, with paging', async () => {
    expect((await get('/api/v1/crossings?verdict=DENY&kind=crossing')).items.map((r) => r.passId)).toEqual([9]);
    expect((await get('/api/v1/crossings?reason=TEST_REQUIRED')).items).toHaveLength(1);
    expect((await get('/api/v1/crossings?lane=L2&direction=exit')).items.every((r) => r.plate === '29A-999.99' || r.citizenId === '001099000003')).toBe(true);
    expect((await get(`/api/v1/crossings?from=${T0 + 20 * MIN}&to=${T0 + 35 * MIN}`)).items).toHaveLength(3);
    const page1 = await get('/api/v1/crossings?limit=5');
    const page2 = await get('/api/v1/crossings?limit=5&offset=5');
    expect(page1.hasMore).toBe(true);
    expect(new Set([...page1.items, ...page2.items].map((r) => r.seq)).size).toBe(10);
    expect((await app.inject({ url: '/api/v1/crossings?plate=<script>', headers: command.headers })).statusCode).toBe(400);
  });

  it('pages with the total of matches, in either time order; a range ending before it starts is a 400 naming "to" in Vietnamese', async () => {
    const all = await get('/api/v1/crossings?limit=500');
    const page = await get('/api/v1/crossings?limit=3&offset=3');
    expect(page.total).toBe(all.items.length);
    expect(page.totalCapped).toBe(false);
    expect(page.items.map((r) => r.seq)).toEqual(all.items.slice(3, 6).map((r) => r.seq));
    const oldest = await get('/api/v1/crossings?limit=500&order=asc');
    expect(oldest.items.map((r) => `${r.at}/${r.seq}`)).toEqual(all.items.map((r) => `${r.at}/${r.seq}`).reverse());
    expect((await get('/api/v1/crossings?verdict=DENY')).total).toBe(all.items.filter((r) => r.verdict === 'DENY').length);

    for (const url of [`/api/v1/crossings?from=${T0 + HOUR}&to=${T0}`, `/api/v1/crossings/export.csv?from=${T0 + HOUR}&to=${T0}`,
      `/api/v1/stats/crossings?from=${T0 + HOUR}&to=${T0}`]) {
      const res = await app.inject({ url, headers: command.headers });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().fields).toEqual([expect.objectContaining({ field: 'to', messageVi: 'Đến: thời điểm kết thúc phải sau thời điểm bắt đầu' })]);
    }
    const log = await app.inject({ url: `/api/v1/access-log?from=${T0 + HOUR}&to=${T0}`, headers: admin.headers });
    expect(log.statusCode).toBe(400);
  });

  it('traces a person: their crossings, co-travellers, and vehicles at the same lane within ±N minutes', async () => {
    const t = await get('/api/v1/trace?citizenId=001099000001&windowMinutes=10');
    expect((t.crossings as { crossingId: string }[]).map((c) => c.crossingId)).toEqual(['c1']);
    const co = t.coTravellers as { citizenId: string | null; plate: string | null }[];
    expect(co.map((r) => r.citizenId).filter(Boolean)).toEqual(['001099000002']);
    expect(co.some((r) => r.plate === '51C-123.45')).toBe(true);
    const plates = new Set((t.nearbyVehicles as { plate: string }[]).map((r) => r.plate));
    expect(plates).toEqual(new Set(['51C-123.45', '29A-999.99']));
    const log = await get('/api/v1/access-log?subjectType=person', admin);
    expect(log.items).toContainEqual(expect.objectContaining({ action: 'trace', subjectId: '001099000001' }));
    // and each co-traveller the answer named (issue 11, finding 9)
    expect(log.items).toContainEqual(expect.objectContaining({ action: 'trace.results', subjectId: '001099000002' }));
    expect((await app.inject({ url: '/api/v1/trace?plate=51C-123.45&passId=7', headers: command.headers })).statusCode).toBe(400);
  });

  it('lists vehicles that entered and have not left within their committed time', async () => {
    expect((await get('/api/v1/crossings/overdue')).items).toEqual([]);
    clock.set(T0 + 25 * HOUR);
    const overdue = (await get('/api/v1/crossings/overdue')).items;
    // pass 7 entered and never left; pass 8 left; pass 9 was denied
    expect(overdue).toEqual([expect.objectContaining({ passId: 7, plate: '51C-123.45', checkpointId: 11, maxStayHours: 24 })]);
  });

  it('counts crossings per checkpoint per hour and per reason', async () => {
    const c = await get(`/api/v1/stats/crossings?kind=crossing&from=${T0}&to=${T0 + 2 * HOUR}`, admin);
    expect(c.perCheckpointHour).toEqual([{ checkpointId: 11, hour: T0, total: 4, allow: 3, deny: 1, review: 0 }]);
    expect(c.perReason).toEqual(expect.arrayContaining([{ reason: 'EXPIRED', count: 1 }, { reason: 'TEST_REQUIRED', count: 1 }]));
  });

  it('exports CSV with hostile text kept verbatim, quoted, and defused for spreadsheets', async () => {
    const w = new JournalWriter(b.stationId);
    w.add(T0, { kind: 'override', officer: 'Nguyễn "Văn" A', note: "=HYPERLINK(\"http://x\")\n'; DROP TABLE journal;--", plate: '51C-123.45', passId: 7 });
    await upload(b, w);
    const res = await app.inject({ url: '/api/v1/crossings/export.csv?stationId=chot-b', headers: command.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.split('\r\n');
    // a UTF-8 BOM so spreadsheets read the Vietnamese; Vietnamese headers; Vietnam time; codes beside words
    expect(lines[0]).toMatch(/^\uFEFF"Trạm","Số thứ tự"/);
    expect(lines[0]).toContain('"Thời điểm tại trạm (giờ Việt Nam)"');
    expect(res.body).toContain('"Nguyễn ""Văn"" A"');
    expect(res.body).toContain('"01/09/2021 15:00:00"');
    expect(res.body).toContain(`"'=HYPERLINK(""http://x"")\n'; DROP TABLE journal;--"`);
    expect(lines.filter((l) => l.startsWith('"chot-b"'))).toHaveLength(1);
    expect((await get('/api/v1/access-log?subjectType=crossing', admin)).items[0]).toMatchObject({ action: 'crossings.export' });
  });

  it('flags a pass that entered at two checkpoints without leaving as a clone, in any arrival order', async () => {
    const wb = new JournalWriter(b.stationId);
    wb.vehicle(T0 + HOUR, { crossingId: 'x1', passId: 7, plate: '51C-123.45', crew: ['001099000001'] });
    // pass 8 left at checkpoint 11 before entering at 22: not a clone
    wb.vehicle(T0 + HOUR, { crossingId: 'x2', passId: 8, plate: '29A-999.99', crew: ['001099000003'] });
    await upload(b, wb);
    let alerts = (await app.inject({ url: '/api/v1/alerts?kind=CLONE', headers: command.headers })).json() as { passId: number; stationId: string }[];
    expect(alerts).toEqual([expect.objectContaining({ passId: 7, stationId: 'chot-b', kind: 'CLONE' })]);
    // the later entry arrives first (station a was offline); the clone is found when the earlier one arrives
    const before = wb.records.length;
    wb.vehicle(T0 + 5 * HOUR, { crossingId: 'x3', passId: 20, plate: '43B-555.55', crew: ['001099000020'] });
    await upload(b, wb.records.slice(before));
    expect(((await app.inject({ url: '/api/v1/alerts?kind=CLONE', headers: command.headers })).json() as unknown[]).length).toBe(1);
    const beforeA = wa.records.length;
    wa.vehicle(T0 + 4 * HOUR, { crossingId: 'y3', passId: 20, plate: '43B-555.55', crew: ['001099000020'] });
    await upload(a, wa.records.slice(beforeA));
    alerts = (await app.inject({ url: '/api/v1/alerts?kind=CLONE', headers: command.headers })).json() as { passId: number; stationId: string }[];
    expect(alerts.map((x) => x.passId)).toEqual([20, 7]);
    const fleet = (await app.inject({ url: '/api/v1/stations/chot-b', headers: command.headers })).json() as { warnings: { code: string }[] };
    expect(fleet.warnings.map((x) => x.code)).toContain('CLONE');
  });

  it('purges personal data after RETENTION_DAYS but keeps the counts', async () => {
    clock.set(T0 + 29 * 24 * HOUR);
    expect((await app.inject({ method: 'POST', url: '/api/v1/admin/retention/run', headers: admin.headers })).json()).toMatchObject({ journalRows: 0 });
    clock.set(T0 + 31 * 24 * HOUR);
    const run = (await app.inject({ method: 'POST', url: '/api/v1/admin/retention/run', headers: admin.headers })).json() as { journalRows: number };
    expect(run.journalRows).toBe(13);
    expect((await get('/api/v1/crossings?plate=51C-123.45')).items).toEqual([]);
    const personal = await app.database.client.get<{ n: number }>('SELECT count(*) AS n FROM journal WHERE plate IS NOT NULL OR citizen_id IS NOT NULL OR pass_id IS NOT NULL OR note IS NOT NULL');
    expect(personal?.n).toBe(0);
    const c = await get(`/api/v1/stats/crossings?kind=crossing&from=${T0}&to=${T0 + 2 * HOUR}`, admin);
    expect(c.perCheckpointHour).toEqual([{ checkpointId: 11, hour: T0, total: 4, allow: 3, deny: 1, review: 0 }]);
    // the station's acknowledgement state is unaffected: re-sending is still a duplicate-free no-op
    expect(await app.database.client.get('SELECT acked_seq AS "ackedSeq" FROM stations WHERE station_id = ?', [a.stationId])).toEqual({ ackedSeq: 13 });
  });
});
