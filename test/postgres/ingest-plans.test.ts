import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgClient } from '../../server/db/pg-client.js';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import { PgIngestRepository } from '../../server/services/ingest/pg-repository.js';
import { ensureJournalMonths } from '../../server/services/retention/journal-partitions.js';
import { sqlStationRepository } from '../../server/services/stations/repository.js';
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
 * generic plan made again, and planning at every run cost PostgreSQL 27.5 s in the national peak's
 * 60 s (README, "Where PostgreSQL's time went at the peak"). The hazard a generic plan brings is a plan
 * made while the journal's partitions were empty (a new database, a new month) and kept as they grow:
 * here each statement is planned generically on empty, never-analyzed partitions, then run again on a
 * filled journal, and every plan PostgreSQL used (auto_explain, sent to this client as notices) must
 * reach the journal's partitions through their indexes, never by reading a partition whole.
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
    expect(await db.client.all<{ station_id: string; acked_seq: number }>("SELECT station_id, acked_seq FROM stations WHERE station_id LIKE 'chot-plan-%' ORDER BY station_id"))
      .toEqual(stations.map((station_id) => ({ station_id, acked_seq: 3000 })));
  });

  it("finds station rows by key, planned generically and kept while every acknowledgement and heartbeat rewrites a row", async () => {
    // at the national peak 2,000 rows took 443 pages between autovacuums, and a plan reading the table
    // whole cost 755 blocks a call (README, "Where PostgreSQL's time went at the peak")
    // a national deployment's 2,000 stations, as registration leaves them (test/postgres/station-row.ts)
    const ids = Array.from({ length: 2000 }, (_, k) => `chot-rows-${String(k).padStart(4, '0')}`);
    await db.client.run(
      `INSERT INTO stations (station_id, checkpoint_id, name, province, lanes, secret_hash, created_at)
       SELECT id, 8, id, 79, '[]', 'x', 0 FROM json_array_elements_text(?::json) AS id`,
      [JSON.stringify(ids)],
    );
    // as autovacuum's analyze does after registration; it also drops the plans the first test made
    // while the table held two rows (a sequential scan is right for a page or two)
    await db.client.exec('ANALYZE stations');
    const repo = new PgIngestRepository(planned);
    const stations = sqlStationRepository(planned);
    const from = plans.length;
    const touch = async (k: number) => {
      const few = ids.slice(k, k + 3);
      await planned.transaction(() => repo.advanceHeads(new Map(few.map((id) => [id, 0]))));
      await planned.transaction(() => stations.saveHeartbeats(few.map((stationId) => ({ stationId, at: start + k, heartbeat: { lastSeq: 0 }, clockSkewMs: 0 }))));
    };
    await touch(0); // planned now
    for (let round = 0; round < 20; round++) await db.client.run('UPDATE stations SET clock_skew_ms = ?', [round]);
    await touch(100);

    const stationLines = plans.slice(from).flatMap((p) => p.split('\n')).filter((l) => / on stations\b/.test(l) && /Scan/.test(l));
    expect(stationLines.length).toBeGreaterThan(0);
    expect(stationLines.filter((l) => !/Index (Only )?Scan using stations_pkey on stations\b/.test(l))).toEqual([]);
    expect(await db.client.all<{ n: number }>("SELECT count(*) AS n FROM stations WHERE station_id LIKE 'chot-rows-%' AND last_heartbeat_at IS NOT NULL"))
      .toEqual([{ n: 6 }]);
  });
});
