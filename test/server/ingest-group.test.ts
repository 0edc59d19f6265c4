import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AuthStation } from '../../server/auth/access.js';
import type { BatchAck } from '../../shared/contracts/journal.js';
import { makeTestApp, registerStation, testClock, userWithRole, type TestStation } from './helpers.js';
import { journalChain } from './journal-fixtures.js';

const count = async (app: FastifyInstance, stationId: string) =>
  (await app.database.client.get<{ n: number }>('SELECT count(*) AS n FROM journal WHERE station_id = ?', [stationId]))!.n;

/** Batches that arrive together are stored together in one transaction (group commit), each with its own outcome. */
describe('ingest group commit', () => {
  let app: FastifyInstance;
  let a: TestStation;
  let b: TestStation;
  const clock = testClock();
  const auth = (s: TestStation): AuthStation => ({ stationId: s.stationId, checkpointId: s.checkpointId, province: 1, lanes: [{ id: 'L1', direction: 'entry' }, { id: 'L2', direction: 'exit' }] }); // the lanes registerStation gives

  beforeEach(async () => {
    app = await makeTestApp({ clock });
    const admin = await userWithRole(app, 'admin', 1);
    a = await registerStation(app, admin);
    b = await registerStation(app, admin);
  });
  afterEach(async () => app.close());

  it('applies batches queued together in order; one refused changes nothing of the others', async () => {
    const ra = journalChain(a.stationId, 20);
    const rb = journalChain(b.stationId, 10);
    // queued in one turn of the event loop: one group
    const pending = [
      app.ingest.ingestGrouped(auth(a), { stationId: a.stationId, records: ra.slice(0, 10) }),
      app.ingest.ingestGrouped(auth(b), { stationId: b.stationId, records: rb }),
      app.ingest.ingestGrouped(auth(a), { stationId: b.stationId, records: rb }), // a posing as b
      app.ingest.ingestGrouped(auth(a), { stationId: a.stationId, records: ra.slice(10, 20) }),
    ];
    const settled = await Promise.allSettled(pending);
    const ack = (i: number) => (settled[i] as PromiseFulfilledResult<BatchAck>).value;
    // the group commits as one: a's first batch is answered with its second one acknowledged too
    expect(ack(0)).toMatchObject({ ackedSeq: 20, stored: 10, chainBreaks: [] });
    expect(ack(1)).toMatchObject({ ackedSeq: 10, stored: 10, chainBreaks: [] });
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: 'FORBIDDEN' }) });
    // the second batch of a is checked against the first one of the same group: no chain break
    expect(ack(3)).toMatchObject({ ackedSeq: 20, stored: 10, duplicates: 0, chainBreaks: [] });
    expect([await count(app, a.stationId), await count(app, b.stationId)]).toEqual([20, 10]);
  });

  it('acknowledges concurrent uploads over HTTP as if they came one by one', async () => {
    const ra = journalChain(a.stationId, 30);
    const rb = journalChain(b.stationId, 30);
    const post = (s: TestStation, records: unknown[]) =>
      app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: s.headers, payload: { stationId: s.stationId, records } });
    const res = await Promise.all([post(a, ra.slice(0, 15)), post(b, rb), post(a, ra.slice(15)), post(b, rb)]);
    expect(res.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const acks = res.map((r) => r.json() as BatchAck);
    expect(acks[2]).toMatchObject({ ackedSeq: 30, stored: 15, chainBreaks: [] });
    expect(acks[1]!.stored + acks[3]!.stored).toBe(30);
    expect(acks[1]!.duplicates + acks[3]!.duplicates).toBe(30);
    expect([await count(app, a.stationId), await count(app, b.stationId)]).toEqual([30, 30]);
  });
});
