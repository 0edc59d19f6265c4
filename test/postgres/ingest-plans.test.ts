import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgClient } from '../../server/db/pg-client.js';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import { PgIngestRepository } from '../../server/services/ingest/pg-repository.js';
import { ensureJournalMonths } from '../../server/services/retention/journal-partitions.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { journalChain } from '../server/journal-fixtures.js';
import { insertStationRow } from './station-row.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
const start = Date.UTC(2021, 8, 1, 8);
const ctx = { receivedAt: start, checkpointId: 7, province: 79 };

/**
 * The server's connections let PostgreSQL keep a statement's generic plan (plan_cache_mode is left at
 * `auto`): ingest's statements take all their inputs as one JSON parameter, so a custom plan is the
 * generic plan made again, and planning at every run cost PostgreSQL 27.5 s in the national peak's 60 s
 * (README, "Planning once"). The hazard a generic plan brings is a plan made while the journal's
 * partitions were empty (a new database, a new month) and kept as they grow: here each statement is
 * planned generically on empty, never-analyzed partitions, then run again on a filled journal, and every
 * plan PostgreSQL used (auto_explain, sent to this client as notices) must reach the journal's partitions
 * through their indexes, never by reading a partition whole.
 */
describe.skipIf(skip)(`ingest's statements under generic plans on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('ingest_plans');
  let db: PgServerDatabase;
  let planned: PgClient;
  const plans: string[] = [];

  beforeAll(async () => {
    db = await openPgServerDatabase(pg.url(), { max: 2 });
    await ensureJournalMonths(db.client, start);
    planned = PgClient.connect(pg.url(), { max: 1 });
    planned.pool.on('connect', (conn) => {
      conn.on('notice', (n) => {
        if (n.message?.startsWith('duration:')) plans.push(n.message);
      });
      // queued before any query the pool hands this connection to
      void conn.query(
        `LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_level = notice; SET plan_cache_mode = force_generic_plan`,
      );
    });
  });
  afterAll(async () => {
    await planned?.close();
    await db?.close();
  });

  it('reaches the journal by its indexes, planned on empty partitions and kept while they fill', async () => {
    const repo = new PgIngestRepository(planned);
    const stations = ['chot-plan-a', 'chot-plan-b'];
    for (const stationId of stations) await insertStationRow(db.client, { stationId, checkpointId: 7, province: 79, lanes: [] });
    const chains = new Map(stations.map((s) => [s, journalChain(s, 3000, (seq) => ({ kind: 'crossing', passId: 5000 + (seq % 40), passProvince: 79 }), start)]));
    const group = async (upTo: number) => {
      await planned.transaction(async () => {
        await repo.lockStations(stations);
        await repo.lockPasses([{ issuingProvince: 79, passId: 5001 }]);
        // a contiguous run (the range probe) and a scattered list (the list probe)
        await repo.readUnderLocks(new Map([[stations[0]!, [upTo - 2, upTo - 1, upTo]], [stations[1]!, [1, upTo, upTo * 2 + 500]]]));
        await repo.passEntriesAround([{ pass: { issuingProvince: 79, passId: 5001 }, at: start + upTo * 1000 }]);
        await repo.passExitsBetween([{ pass: { issuingProvince: 79, passId: 5001 }, province: 79, from: start, to: start + upTo * 1000 }]);
        await repo.advanceHeads(new Map(stations.map((s) => [s, Math.max(0, upTo - 100)])));
      });
    };

    await group(10); // planned now, on partitions that have never held a row
    const firstPlans = plans.length;
    for (const [stationId, records] of chains) {
      await db.client.transaction(() => new PgIngestRepository(db.client).insertMany([
        { stationId, records: records.map((record) => ({ record, hashOk: true })), ctx },
      ]));
    }
    await group(2900);

    expect(firstPlans).toBeGreaterThanOrEqual(6);
    expect(plans.length).toBe(2 * firstPlans);
    const journalLines = plans.flatMap((p) => p.split('\n')).filter((l) => / on journal_(y\d{4}m\d{2}|default)\b/.test(l));
    expect(journalLines.length).toBeGreaterThan(0);
    const wholeReads = journalLines.filter((l) => !/(Index Scan|Index Only Scan|Bitmap Heap Scan)( Backward)? (using \S+ )?on journal_/.test(l));
    expect(wholeReads).toEqual([]);
    // and the answers are right on the filled journal: both heads reached the end of their runs
    expect(await db.client.all<{ station_id: string; acked_seq: number }>('SELECT station_id, acked_seq FROM stations ORDER BY station_id'))
      .toEqual(stations.map((station_id) => ({ station_id, acked_seq: 3000 })));
  });
});
