import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, registerStation, testClock, userWithRole, type TestCaller, type TestStation } from '../helpers.js';
import { JournalWriter } from '../journal-fixtures.js';

const MIN = 60_000;
// 08:00 Vietnam time on 1 September 2021; the clock reads 10:00 the same day
const T0 = Date.parse('2021-09-01T08:00:00+07:00');

describe('live feed by crossing', () => {
  let app: FastifyInstance;
  let admin: TestCaller;
  let command: TestCaller;
  let a: TestStation;
  let b: TestStation;
  const clock = testClock();

  const upload = async (st: TestStation, w: JournalWriter) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: st.stationId, records: w.records } });
    expect(res.json()).toMatchObject({ rejected: [], chainBreaks: [] });
  };
  const live = async (query: Record<string, string> = {}) => {
    const res = await app.inject({ url: '/api/v1/crossings/live', query, headers: command.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: { plate: string | null; checkpointId: number; verdict: string; kind: string; crew: { citizenId: string; verdict: string }[] }[]; today: unknown[]; day: string };
  };

  beforeEach(async () => {
    clock.set(T0 + 120 * MIN);
    app = await makeTestApp({ clock });
    admin = await userWithRole(app, 'admin', 79);
    command = await userWithRole(app, 'command', 79);
    a = await registerStation(app, admin, { stationId: 'chot-a', checkpointId: 11 });
    b = await registerStation(app, admin, { stationId: 'chot-b', checkpointId: 22 });
    const wa = new JournalWriter(a.stationId);
    // the day before (23:59 Vietnam time): in the feed, not in today's totals
    wa.vehicle(T0 - 8 * 60 * MIN - MIN, { crossingId: 'c0', passId: 6, plate: '51C-000.01', crew: ['079099000009'] });
    wa.vehicle(T0, { crossingId: 'c1', passId: 7, plate: '51C-123.45', crew: ['079099000001', '079099000002'] });
    wa.add(T0 + 20 * MIN, { kind: 'scan', verdict: 'DENY', reasons: ['BAD_SIGNATURE'], codeKind: 'none' });
    wa.vehicle(T0 + 30 * MIN, { crossingId: 'c3', passId: 9, plate: '30F-111.11', crew: ['079099000004'], verdict: 'DENY', reasons: ['EXPIRED'] });
    await upload(a, wa);
    const wb = new JournalWriter(b.stationId);
    wb.vehicle(T0 + 10 * MIN, { crossingId: 'c2', passId: 8, plate: '29A-999.99', crew: ['079099000003'], verdict: 'REVIEW', reasons: ['TEST_REQUIRED'] });
    await upload(b, wb);
  });
  afterEach(async () => app.close());

  it('shows one row per vehicle with its crew and the crossing\'s verdict (a lone scan as its own row), newest first, with today\'s totals per checkpoint', async () => {
    const feed = await live();
    expect(feed.items.map((c) => [c.plate, c.verdict, c.crew.map((p) => p.citizenId)])).toEqual([
      ['30F-111.11', 'DENY', ['079099000004']],
      [null, 'DENY', []],
      ['29A-999.99', 'REVIEW', ['079099000003']],
      ['51C-123.45', 'ALLOW', ['079099000001', '079099000002']],
      ['51C-000.01', 'ALLOW', ['079099000009']],
    ]);
    expect(feed.items.map((c) => c.kind)).toEqual(['crossing', 'scan', 'crossing', 'crossing', 'crossing']);
    expect(feed.day).toBe('2021-09-01');
    expect(feed.today).toEqual([
      { checkpointId: 11, allow: 1, deny: 2, review: 0, total: 3 },
      { checkpointId: 22, allow: 0, deny: 0, review: 1, total: 1 },
    ]);
    // the people shown are access-logged
    const log = await app.accessLog.list(admin, { subjectType: 'person', limit: 100, offset: 0 });
    expect(log.items.filter((e) => e.action === 'crossings.live.results').map((e) => e.subjectId).sort())
      .toEqual(['079099000001', '079099000002', '079099000003', '079099000004', '079099000009']);
  });

  it('filters by checkpoint and verdict; "from" later than "to" is a 400 naming the field in Vietnamese', async () => {
    expect((await live({ checkpointId: '22' })).items.map((c) => c.plate)).toEqual(['29A-999.99']);
    expect((await live({ verdict: 'DENY' })).items.map((c) => c.plate)).toEqual(['30F-111.11', null]);
    expect((await live({ checkpointId: '11', verdict: 'REVIEW' })).items).toEqual([]);
    const backwards = await app.inject({ url: '/api/v1/crossings/live', query: { from: String(T0 + MIN), to: String(T0) }, headers: command.headers });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ messageVi: 'Đến: thời điểm kết thúc phải sau thời điểm bắt đầu', fields: [expect.objectContaining({ field: 'to' })] });
    const transport = await userWithRole(app, 'transport', 79);
    expect((await app.inject({ url: '/api/v1/crossings/live', headers: transport.headers })).statusCode).toBe(403);
  });
});
