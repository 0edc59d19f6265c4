import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, testClock, type TestCaller, type TestStation } from '../helpers.js';
import { provincePair } from '../province-pair.js';
import { JournalWriter } from '../journal-fixtures.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2021, 6, 30, 1);
const PLATE = '51C-123.45';
const CREW = ['079099000017'];

type AlertRow = { kind: string; stationId: string; passId: number; passProvince: number; message: string; details: { passRef: string; national: boolean; provinces: number[] } };

/** Clones across provinces: the same pass inside at checkpoints of Ho Chi Minh City (79) and Long An (80) at once. */
describe('clones detected nationally', () => {
  let app: FastifyInstance;
  let cmd79: TestCaller;
  let cmd80: TestCaller;
  let hcm: TestStation;
  let la: TestStation;
  let whcm: JournalWriter;
  let wla: JournalWriter;

  const upload = async (st: TestStation, w: JournalWriter) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: st.stationId, records: w.records } });
    expect(res.json()).toMatchObject({ rejected: [], chainBreaks: [] });
  };
  const clones = async (who: TestCaller) => {
    const res = await app.inject({ url: '/api/v1/alerts?kind=CLONE', headers: who.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AlertRow[];
  };

  beforeEach(async () => {
    app = await makeTestApp({ clock: testClock(T0 + 10 * HOUR) });
    ({ cmd79, cmd80, hcm, la } = await provincePair(app));
    whcm = new JournalWriter(hcm.stationId);
    wla = new JournalWriter(la.stationId);
  });
  afterEach(async () => app?.close());

  it('raises one CLONE for pass 79-17 inside Ho Chi Minh City and entering Long An, to both provinces\' command centers', async () => {
    whcm.vehicle(T0, { crossingId: 'h1', passId: 17, plate: PLATE, crew: CREW });
    wla.vehicle(T0 + HOUR, { crossingId: 'l1', passId: 17, plate: PLATE, crew: CREW });
    // Long An's upload arrives first: the clone is found when Ho Chi Minh City's earlier entry arrives
    await upload(la, wla);
    expect(await clones(cmd80)).toEqual([]);
    await upload(hcm, whcm);
    const seen79 = await clones(cmd79);
    const seen80 = await clones(cmd80);
    expect(seen79).toEqual([expect.objectContaining({ stationId: 'chot-7901', passId: 17, passProvince: 79 })]);
    expect(seen80).toEqual([expect.objectContaining({ stationId: 'chot-8001', passId: 17, passProvince: 79 })]);
    for (const a of [...seen79, ...seen80]) {
      expect(a.details).toMatchObject({ passRef: '79-17', national: true, provinces: [79, 80] });
      expect(a.message).toContain('79-17');
    }
    // the same batches again raise nothing more
    await upload(la, wla);
    await upload(hcm, whcm);
    expect((await clones(cmd79)).length + (await clones(cmd80)).length).toBe(2);
  });

  it('sees an exit in another province as no exit from the first: still inside Ho Chi Minh City', async () => {
    // in at 7901; then a Long An exit with no Long An entry (the copy drove out of Long An); then into Long An again
    whcm.vehicle(T0, { crossingId: 'h1', passId: 17, plate: PLATE, crew: CREW });
    wla.vehicle(T0 + HOUR, { crossingId: 'l-out', passId: 17, plate: PLATE, crew: CREW, lane: 'L2', direction: 'exit' });
    wla.vehicle(T0 + 2 * HOUR, { crossingId: 'l-in', passId: 17, plate: PLATE, crew: CREW });
    await upload(hcm, whcm);
    await upload(la, wla);
    expect((await clones(cmd80)).map((a) => a.details.provinces)).toEqual([[79, 80]]);
  });

  it('withdraws a clone alert when the exit that explains it arrives late (Long An\'s station was offline)', async () => {
    wla.vehicle(T0, { crossingId: 'l-in', passId: 17, plate: PLATE, crew: CREW });
    const entered = wla.records.length;
    wla.vehicle(T0 + HOUR, { crossingId: 'l-out', passId: 17, plate: PLATE, crew: CREW, lane: 'L2', direction: 'exit' });
    whcm.vehicle(T0 + HOUR + 60_000, { crossingId: 'h1', passId: 17, plate: PLATE, crew: CREW });
    // Long An uploads its entry, then goes offline; Ho Chi Minh City's entry arrives: a clone by what is known
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: la.headers, payload: { stationId: la.stationId, records: wla.records.slice(0, entered) } });
    expect(res.statusCode).toBe(200);
    await upload(hcm, whcm);
    expect((await clones(cmd79)).map((a) => a.details.passRef)).toEqual(['79-17']);
    const open = async (who: TestCaller) => {
      const r = await app.inject({ url: '/api/v1/alerts?kind=CLONE&open=true', headers: who.headers });
      return (r.json() as AlertRow[]).length;
    };
    expect([await open(cmd79), await open(cmd80)]).toEqual([1, 1]);
    // Long An comes back with the exit: the vehicle left Long An before entering; both alerts close, kept with why
    await upload(la, wla);
    expect([await open(cmd79), await open(cmd80)]).toEqual([0, 0]);
    expect((await clones(cmd80))[0]!.message).toContain('withdrawn: an exit from province 80');
  });

  it('raises nothing for a journey: out of Long An, then into Ho Chi Minh City; nor for two provinces\' pass 17', async () => {
    wla.vehicle(T0, { crossingId: 'l-in', passId: 17, plate: PLATE, crew: CREW });
    wla.vehicle(T0 + HOUR, { crossingId: 'l-out', passId: 17, plate: PLATE, crew: CREW, lane: 'L2', direction: 'exit' });
    whcm.vehicle(T0 + 2 * HOUR, { crossingId: 'h1', passId: 17, plate: PLATE, crew: CREW });
    // 80-17 is another vehicle, inside Long An the whole time
    wla.vehicle(T0 + 30 * 60_000, { crossingId: 'other', passId: 17, passProvince: 80, plate: '62C-555.55', crew: ['080099000017'] });
    await upload(hcm, whcm);
    await upload(la, wla);
    expect([...(await clones(cmd79)), ...(await clones(cmd80))]).toEqual([]);
  });
});
