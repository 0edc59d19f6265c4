import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, testClock, userWithRole, type TestCaller, type TestStation } from '../helpers.js';
import { provincePair } from '../province-pair.js';
import { JournalWriter } from '../journal-fixtures.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2021, 6, 30, 1);
const PLATE = '51C-123.45';

/**
 * One server holding two neighbouring provinces' stations (79 Hồ Chí Minh, 80 Long An), as a national
 * deployment does: a vehicle with pass 79-17 crosses both, and each command center reads the trip.
 */
describe('trips across provinces', () => {
  let app: FastifyInstance;
  let cmd79: TestCaller;
  let cmd80: TestCaller;
  let admin79: TestCaller;
  let hcm: TestStation;
  let la: TestStation;
  let wla: JournalWriter;
  const clock = testClock(T0);

  const upload = async (st: TestStation, w: JournalWriter) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: st.stationId, records: w.records } });
    expect(res.json()).toMatchObject({ rejected: [], chainBreaks: [] });
  };
  const get = async (url: string, who: TestCaller) => {
    const res = await app.inject({ url, headers: who.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Record<string, unknown>;
  };

  beforeEach(async () => {
    clock.set(T0 + 10 * HOUR);
    app = await makeTestApp({ clock, env: { DEFAULT_MAX_STAY_HOURS: '24', TRANSIT_HOURS: '80=6' } });
    ({ admin79, cmd79, cmd80, hcm, la } = await provincePair(app));
    // Long An: in at 01:00 UTC, out at 03:00; Ho Chi Minh City: in at 04:00, still inside
    wla = new JournalWriter(la.stationId);
    wla.vehicle(T0, { crossingId: 'la-in', passId: 17, plate: PLATE, crew: ['079099000017'] });
    wla.vehicle(T0 + 2 * HOUR, { crossingId: 'la-out', passId: 17, plate: PLATE, crew: ['079099000017'], lane: 'L2', direction: 'exit' });
    // pass 17 of province 80 is another vehicle: never part of 79-17's trip
    wla.vehicle(T0 + HOUR, { crossingId: 'other', passId: 17, passProvince: 80, plate: '62C-555.55', crew: ['080099000017'] });
    await upload(la, wla);
    const whcm = new JournalWriter(hcm.stationId);
    whcm.vehicle(T0 + 3 * HOUR, { crossingId: 'hcm-in', passId: 17, plate: PLATE, crew: ['079099000017'] });
    await upload(hcm, whcm);
  });
  afterEach(async () => app?.close());

  it('shows pass 79-17 entering Long An, leaving it, and entering Ho Chi Minh City, in order', async () => {
    const trip = await get('/api/v1/trips?passRef=79-17', cmd79);
    expect(trip.provinces).toEqual([80, 79]);
    expect(trip.passes).toEqual(['79-17']);
    const legs = trip.legs as { province: number; state: string; detailed: boolean; entry: { at: number; checkpointId: number | null } | null; exit: { at: number; checkpointId: number | null } | null }[];
    expect(legs.map((l) => [l.province, l.state, l.detailed])).toEqual([[80, 'left', false], [79, 'inside', true]]);
    // 79's reader sees its own checkpoint; of Long An only the province and the times
    expect(legs[1]!.entry).toMatchObject({ checkpointId: 7901, at: T0 + 3 * HOUR + 2000 });
    expect(legs[0]!.entry).toMatchObject({ checkpointId: null, at: T0 + 2000 });
    expect(legs[0]!.exit).toMatchObject({ checkpointId: null, at: T0 + 2 * HOUR + 2000 });
    // and the other way round for Long An's command center
    const seenBy80 = (await get('/api/v1/trips?passRef=79-17', cmd80)).legs as { detailed: boolean; entry: { checkpointId: number | null } }[];
    expect(seenBy80.map((l) => [l.detailed, l.entry.checkpointId])).toEqual([[true, 8001], [false, null]]);
  });

  it('finds the same trip by plate, and nothing for a province the vehicle never touched', async () => {
    const byPlate = await get(`/api/v1/trips?plate=${encodeURIComponent(PLATE)}`, cmd79);
    expect(byPlate.provinces).toEqual([80, 79]);
    const cmd01 = await userWithRole(app, 'command', 1);
    expect(await get('/api/v1/trips?passRef=79-17', cmd01)).toMatchObject({ legs: [], provinces: [], passes: [] });
  });

  it('writes each trip read to the access log, naming the pass or the plate', async () => {
    await get('/api/v1/trips?passRef=79-17', cmd79);
    await get(`/api/v1/trips?plate=${encodeURIComponent(PLATE)}`, cmd79);
    const log = (await get('/api/v1/access-log?limit=20', admin79)).items as { action: string; subjectType: string; subjectId: string; username?: string }[];
    expect(log).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'trip', subjectType: 'pass', subjectId: '79-17' }),
      expect.objectContaining({ action: 'trip', subjectType: 'vehicle', subjectId: PLATE }),
    ]));
  });

  it('refuses a bad query with a clear 400, and other roles with 403', async () => {
    for (const q of ['', '?passRef=79-17&plate=51C-123.45', '?passRef=7917', '?passRef=79-0', `?passRef=79-17&from=${T0}&to=${T0 - 1}`]) {
      const res = await app.inject({ url: `/api/v1/trips${q}`, headers: cmd79.headers });
      expect(res.statusCode, q).toBe(400);
      expect(res.json()).toHaveProperty('messageVi');
    }
    const transport = await userWithRole(app, 'transport', 79);
    expect((await app.inject({ url: '/api/v1/trips?passRef=79-17', headers: transport.headers })).statusCode).toBe(403);
  });

  it('computes overdue per province by that province\'s own transit allowance', async () => {
    // Long An allows 6 h (TRANSIT_HOURS=80=6), Ho Chi Minh City the default 24 h.
    // a vehicle of 79 entered Long An at 06:00 and was never seen again
    wla.vehicle(T0 + 5 * HOUR, { crossingId: 'late', passId: 42, plate: '51D-222.22', crew: ['079099000042'] });
    await upload(la, wla);

    clock.set(T0 + 12 * HOUR);
    // Long An: 80-17 entered at 02:00 and 79-42 at 06:00, both more than 6 h ago; 79-17 left
    const la80 = (await get('/api/v1/crossings/overdue', cmd80)).items as { province: number; passId: number; passProvince: number; maxStayHours: number }[];
    expect(la80.map((o) => [o.province, `${o.passProvince}-${o.passId}`, o.maxStayHours])).toEqual([[80, '80-17', 6], [80, '79-42', 6]]);
    // Ho Chi Minh City: 79-17 has been inside 9 h of its 24
    expect((await get('/api/v1/crossings/overdue', cmd79)).items).toEqual([]);
    clock.set(T0 + 28 * HOUR);
    const hcm79 = (await get('/api/v1/crossings/overdue', cmd79)).items as { province: number; passId: number; checkpointId: number }[];
    expect(hcm79.map((o) => [o.province, o.passId, o.checkpointId])).toEqual([[79, 17, 7901]]);
    // and the trip says the same of its last leg
    const legs = (await get('/api/v1/trips?passRef=79-17', cmd79)).legs as { province: number; overdue: boolean }[];
    expect(legs.map((l) => [l.province, l.overdue])).toEqual([[80, false], [79, true]]);
  });
});
