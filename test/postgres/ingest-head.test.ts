import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import { PgIngestRepository } from '../../server/services/ingest/pg-repository.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { journalChain } from '../server/journal-fixtures.js';
import { insertStationRow } from './station-row.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
const ctx = { receivedAt: Date.UTC(2021, 8, 1, 12), checkpointId: 7, province: 79 };

/** The acknowledged head on PostgreSQL: found by walking the key a page at a time, never by a plan that reads the station's whole journal. */
describe.skipIf(skip)(`ingest's contiguous head on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('ingest_head');
  let db: PgServerDatabase;

  beforeAll(async () => {
    db = await openPgServerDatabase(pg.url(), { max: 2 });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('walks past several pages, across stored and quarantined seqs, stops at the first gap, and raises the acknowledged seq to it', async () => {
    const repo = new PgIngestRepository(db.client, 3);
    const records = journalChain('chot-head', 15);
    const store = (seqs: number[]) =>
      db.client.transaction(() => repo.insertMany([{ stationId: 'chot-head', records: records.filter((r) => seqs.includes(r.seq)).map((record) => ({ record, hashOk: true })), ctx }]));
    // 1-10 stored, 11 quarantined, 12-13 stored, 14 missing, 15 stored
    await store([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 15]);
    await repo.insertReject('chot-head', 11, ctx.receivedAt, 'bad', '{}');

    await insertStationRow(db.client, { stationId: 'chot-head', checkpointId: 7, province: 79, lanes: [] });
    const acked = async () => (await db.client.get<{ acked_seq: number }>("SELECT acked_seq FROM stations WHERE station_id = 'chot-head'"))!.acked_seq;
    const advance = (from: [string, number][]) => db.client.transaction(() => repo.advanceHeads(new Map(from)));

    // a station with no row has a head and nothing to raise
    expect(await advance([['chot-head', 0], ['chot-none', 4]])).toEqual(new Map([['chot-head', 13], ['chot-none', 4]]));
    expect(await acked()).toBe(13);
    // from inside the run, and from right at the gap; the acknowledged seq is raised, never lowered
    expect(await advance([['chot-head', 9]])).toEqual(new Map([['chot-head', 13]]));
    expect(await advance([['chot-head', 14]])).toEqual(new Map([['chot-head', 15]]));
    expect(await acked()).toBe(15);
    expect(await advance([['chot-head', 13]])).toEqual(new Map([['chot-head', 13]]));
    expect(await acked()).toBe(15);
  });

  it("the server's connections never JIT-compile (compiling cost 190-260 ms a lookup once the journal was large)", async () => {
    const a = await db.client.get<{ jit: string }>('SHOW jit');
    const b = await db.client.transaction(() => db.client.get<{ jit: string }>('SHOW jit'));
    expect([a?.jit, b?.jit]).toEqual(['off', 'off']);
  });
});
