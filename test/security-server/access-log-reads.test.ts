import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalWriter } from '../server/journal-fixtures.js';
import { makeTestApp, registerStation, testClock, userWithRole, type TestCaller } from '../server/helpers.js';

/** Finding 9 of the outside probe (issue 11): the reads the access log missed, and whose data each was. */
const T0 = Date.UTC(2021, 8, 1, 8);
const DAY = 86_400_000;
const CITIZEN = '079300000001';
const PLATE = '51C-888.88';
interface LogRow { userId: number | null; username: string; action: string; subjectType: string; subjectId: string | null; url: string }

let app: FastifyInstance;
let admin: TestCaller;
let command: TestCaller;
let transport: TestCaller;
let health: TestCaller;
let passId: number;

beforeAll(async () => {
  app = await makeTestApp({ clock: testClock(T0 + 3_600_000) });
  [admin, command, transport, health] = await Promise.all([
    userWithRole(app, 'admin', 79), userWithRole(app, 'command', 79), userWithRole(app, 'transport', 79), userWithRole(app, 'health', 79),
  ]);
  const station = await registerStation(app, admin, { stationId: 'chot-log', checkpointId: 41 });
  const pass = await app.inject({
    method: 'POST', url: '/api/v1/passes', headers: transport.headers,
    payload: { plate: PLATE, goods: 0, crew: [{ citizenId: CITIZEN, name: 'Võ Thị Nhật Ký' }], originZone: '79-760', destinationZone: '01', routeCheckpoints: [41], routeProvinces: [79], validTo: T0 + 30 * DAY },
  });
  passId = (pass.json() as { passId: number }).passId;
  const w = new JournalWriter(station.stationId);
  w.vehicle(T0, { crossingId: 'cx1', passId, plate: PLATE, crew: [CITIZEN] });
  await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: station.headers, payload: { stationId: station.stationId, records: w.records } });
  // A clone alert naming the pass, as the clone detector raises it.
  await app.database.client.run("INSERT INTO station_alerts (station_id, kind, seq, pass_id, message, created_at) VALUES (?, 'CLONE', 1, ?, 'clone', ?)", [station.stationId, passId, T0]);
  // 3 people, then 150 more for a bulk read.
  const people = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ citizenId: `0794${String(from + i).padStart(8, '0')}`, name: 'Người Thứ Ba', declaredAt: T0, originZone: '79' }));
  await app.inject({ method: 'POST', url: '/api/v1/health/import/declarations', headers: health.headers, payload: people(1, 3) });
});
afterAll(async () => app?.close());

const since = async (): Promise<() => Promise<LogRow[]>> => {
  const { before } = (await app.database.client.get<{ before: number }>('SELECT coalesce(max(id), 0) AS before FROM access_log'))!;
  return () => app.database.client.all<LogRow>(
    'SELECT user_id AS "userId", username, action, subject_type AS "subjectType", subject_id AS "subjectId", url FROM access_log WHERE id > ? ORDER BY id', [before]);
};

describe('finding 9: every read of personal data by a person is logged with whose data it was', () => {
  it('finding 9: stats for a subject, alerts naming passes, writes that answer with the pass, the access log itself, and bulk reads per subject or with their count', async () => {
    let rows = await since();
    expect((await app.inject({ url: `/api/v1/stats/crossings?plate=${PLATE}&from=${T0 - DAY}&to=${T0 + DAY}`, headers: command.headers })).statusCode).toBe(200);
    expect(await rows()).toEqual([expect.objectContaining({ action: 'crossings.stats', subjectType: 'vehicle', subjectId: PLATE, username: command.username })]);

    rows = await since();
    expect((await app.inject({ url: '/api/v1/alerts', headers: command.headers })).statusCode).toBe(200);
    expect(await rows()).toEqual([expect.objectContaining({ action: 'alerts.list', subjectType: 'pass', subjectId: String(passId) })]);

    rows = await since();
    const amended = await app.inject({ method: 'POST', url: `/api/v1/passes/${passId}/amend`, headers: transport.headers, payload: { changes: { goods: 1 }, reason: 'đổi hàng' } });
    expect(amended.statusCode).toBe(200);
    expect(amended.json().crew[0].citizenId).toBe(CITIZEN);
    expect(await rows()).toEqual([expect.objectContaining({ action: 'pass.amend', subjectType: 'pass', subjectId: String(passId), username: transport.username })]);

    // A search by checkpoint names each person and vehicle it shows, beside the query itself.
    rows = await since();
    expect((await app.inject({ url: '/api/v1/crossings?checkpointId=41', headers: command.headers })).statusCode).toBe(200);
    expect(await rows()).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'crossings.search.results', subjectType: 'person', subjectId: CITIZEN }),
      expect.objectContaining({ action: 'crossings.search.results', subjectType: 'vehicle', subjectId: PLATE }),
    ]));

    rows = await since();
    const page = await app.inject({ url: '/api/v1/access-log?limit=20', headers: admin.headers });
    expect(page.statusCode).toBe(200);
    const shownUsers = new Set((page.json() as { items: LogRow[] }).items.flatMap((e) => (e.userId === null ? [] : [String(e.userId)])));
    const logged = await rows();
    expect(logged.every((r) => r.action === 'access-log.read' && r.subjectType === 'user' && r.username === admin.username)).toBe(true);
    expect(new Set(logged.map((r) => r.subjectId))).toEqual(shownUsers);

    // Bulk: one row per person shown, not one row with no subject.
    rows = await since();
    const list = await app.inject({ url: '/api/v1/people?limit=500', headers: health.headers });
    const shown = (list.json() as { items: { citizenId: string }[] }).items.map((p) => p.citizenId);
    expect(shown).toHaveLength(3);
    expect((await rows()).map((r) => r.subjectId).sort()).toEqual([...shown].sort());
  });

  it('finding 9: past 100 subjects a bulk read is one row with the count, and the URL keeps the query', async () => {
    const more = Array.from({ length: 150 }, (_, i) => ({ citizenId: `0795${String(i).padStart(8, '0')}`, name: 'Người Nhiều', declaredAt: T0, originZone: '79' }));
    expect((await app.inject({ method: 'POST', url: '/api/v1/health/import/declarations', headers: health.headers, payload: more })).statusCode).toBe(201);
    const rows = await since();
    const list = await app.inject({ url: '/api/v1/people?limit=500', headers: health.headers });
    const n = (list.json() as { items: unknown[] }).items.length;
    expect(n).toBeGreaterThan(100);
    expect(await rows()).toEqual([expect.objectContaining({ action: 'people.list', subjectType: 'person', subjectId: `${n} records`, url: '/api/v1/people?limit=500' })]);
  });
});
