import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import type { AuthStation } from '../../server/auth/access.js';
import { PgIngestRepository } from '../../server/services/ingest/pg-repository.js';
import { IngestService } from '../../server/services/ingest/service.js';
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

  describe('placed by the read under the locks, walked only where that read cannot tell', () => {
    /** the stations advanceHeads walked (not placed by the read) at each group */
    const walked: string[][] = [];
    class Watched extends PgIngestRepository {
      override advanceHeads(from: ReadonlyMap<string, number>, settled?: ReadonlySet<string>) {
        walked.push([...from.keys()].filter((id) => !settled?.has(id)));
        return super.advanceHeads(from, settled);
      }
    }
    const lanes = [{ id: 'L1', direction: 'entry' as const }, { id: 'L2', direction: 'exit' as const }];
    let n = 0;
    /** a new station, and an ingest service whose reads above a batch stop after `readAbove` rows */
    const setUp = async (readAbove = 1000) => {
      const station: AuthStation = { stationId: `chot-place-${++n}`, checkpointId: 7, province: 79, lanes };
      await insertStationRow(db.client, station);
      const service = new IngestService(db.client, new Watched(db.client, 5000, 200, readAbove), () => ctx.receivedAt);
      const records = journalChain(station.stationId, 40);
      walked.length = 0;
      const send = async (seqs: number[], bad: number[] = []) => (await service.ingestGrouped(station, {
        stationId: station.stationId,
        records: records.filter((r) => seqs.includes(r.seq) || bad.includes(r.seq)).map((r) => (bad.includes(r.seq) ? { ...r, lane: 'no-such-lane' } : r)),
      })).ackedSeq;
      return { station, send };
    };

    it('in order: each head is placed without a walk', async () => {
      const { send } = await setUp();
      expect(await send([1, 2, 3, 4, 5])).toBe(5);
      expect(await send([6, 7, 8])).toBe(8);
      expect(walked).toEqual([[], []]);
    });

    it('out of order: a batch that fills the gap carries the head over the later batch and an earlier quarantined seq, without a walk', async () => {
      const { send } = await setUp();
      expect(await send([11, 12, 13, 14, 15], [10])).toBe(0); // 10 quarantined, 1-9 still to come
      expect(await send([1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(15);
      expect(walked).toEqual([[], []]); // the first group moved no head
    });

    it('walks where the read stopped at its limit, and finds the head past it', async () => {
      const { station, send } = await setUp(3);
      expect(await send([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20])).toBe(0);
      expect(await send([1, 2, 3, 4, 5])).toBe(20);
      expect(walked).toEqual([[], [station.stationId]]);
    });

    it('walks where the head was carried over a seq quarantined below the read (the seqs stored before it were not read)', async () => {
      const { station, send } = await setUp();
      expect(await send([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(10);
      expect(await send([12, 13, 14, 15, 16, 17, 18])).toBe(10); // 11 still missing
      walked.length = 0;
      // 11 arrives invalid (quarantined now: it counts), with 20-25: the read covers 19-26 only
      expect(await send([20, 21, 22, 23, 24, 25], [11])).toBe(18);
      expect(walked).toEqual([[station.stationId]]);
    });
  });

  it("the server's connections never JIT-compile (compiling cost 190-260 ms a lookup once the journal was large)", async () => {
    const a = await db.client.get<{ jit: string }>('SHOW jit');
    const b = await db.client.transaction(() => db.client.get<{ jit: string }>('SHOW jit'));
    expect([a?.jit, b?.jit]).toEqual(['off', 'off']);
  });
});
