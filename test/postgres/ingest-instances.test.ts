import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthStation } from '../../server/auth/access.js';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import { PgIngestRepository } from '../../server/services/ingest/pg-repository.js';
import type { IngestRepository } from '../../server/services/ingest/repository.js';
import { IngestService } from '../../server/services/ingest/service.js';
import { sqlStationRepository } from '../../server/services/stations/repository.js';
import type { BatchAck, JournalRecord } from '../../shared/contracts/journal.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { journalChain } from '../server/journal-fixtures.js';
import { insertStationRow } from './station-row.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
const lanes = [{ id: 'L1', direction: 'entry' as const }, { id: 'L2', direction: 'exit' as const }];
const clock = () => Date.UTC(2021, 8, 1, 12);

/** Resolves when `ready()` holds, asking again after each query: no fixed sleep. */
async function until(ready: () => Promise<boolean>, what: string, deadline = Date.now() + 30_000): Promise<void> {
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/**
 * Two server instances (two pools on one database) receive the same station's batches at once, as
 * behind a load balancer when a station retries on another instance: each record is stored once, the
 * chain is checked in order (no false break), the acknowledged watermark is right, and a batch that
 * lost the race is answered as duplicates.
 */
describe.skipIf(skip)(`ingest with two server instances on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('ingest');
  let a: PgServerDatabase;
  let b: PgServerDatabase;
  let n = 0;
  let station: AuthStation;

  const service = (db: PgServerDatabase, repo: IngestRepository = new PgIngestRepository(db.client)) => new IngestService(db.client, repo, clock);
  const batch = (records: readonly JournalRecord[]) => ({ stationId: station.stationId, records });
  const stored = async () => (await a.client.all<{ seq: number; n: number; ok: number }>(
    'SELECT seq, count(*) AS n, min(hash_ok::int) AS ok FROM journal WHERE station_id = ? GROUP BY seq ORDER BY seq', [station.stationId]));
  const acked = async () => (await b.client.get<{ acked_seq: number }>('SELECT acked_seq FROM stations WHERE station_id = ?', [station.stationId]))!.acked_seq;
  const alerts = async () => (await a.client.all('SELECT kind, seq FROM station_alerts WHERE station_id = ?', [station.stationId]));

  beforeAll(async () => {
    a = await openPgServerDatabase(pg.url(), { max: 4 });
    b = await openPgServerDatabase(pg.url(), { max: 4 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });
  beforeEach(async () => {
    station = { stationId: `chot-${++n}`, checkpointId: n, province: 79, lanes };
    await insertStationRow(a.client, station);
  });

  it('stores overlapping batches sent to both instances at once exactly once, in chain order, with the right watermark', async () => {
    const recs = journalChain(station.stationId, 1200);
    // instance A holds its batch's transaction open after storing (the station lock held) until B's
    // batch is waiting on that lock: the two really overlap
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let stored1!: () => void;
    const storedByA = new Promise<void>((r) => (stored1 = r));
    const repoA = new PgIngestRepository(a.client);
    const slowA: IngestRepository = Object.assign(Object.create(repoA) as PgIngestRepository, {
      insertMany: async (...args: Parameters<PgIngestRepository['insertMany']>) => {
        const out = await repoA.insertMany(...args);
        stored1();
        await held;
        return out;
      },
    });
    const ackA = service(a, slowA).ingestGrouped(station, batch(recs.slice(0, 700))); // seqs 1..700
    await storedByA;
    const ackB = service(b).ingestGrouped(station, batch(recs.slice(400, 1200))); // seqs 401..1200: 300 overlap
    await until(async () => {
      const w = await a.client.get<{ n: number }>(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
      return w!.n > 0;
    }, "instance B's batch waiting on the station lock");
    release();
    const [first, second] = await Promise.all([ackA, ackB]);

    expect(first).toEqual({ ackedSeq: 700, stored: 700, duplicates: 0, rejected: [], chainBreaks: [] });
    // B ran after A committed: the overlap is duplicates, the rest new, and the chain joins at 700/701
    expect(second).toEqual({ ackedSeq: 1200, stored: 500, duplicates: 300, rejected: [], chainBreaks: [] });
    const rows = await stored();
    expect(rows).toHaveLength(1200);
    expect(rows.every((r, i) => r.seq === i + 1 && r.n === 1 && r.ok === 1)).toBe(true);
    expect(await acked()).toBe(1200);
    expect(await alerts()).toEqual([]);
  });

  it('answers the same batch reaching both instances at once: one stores it, the other says duplicates', async () => {
    const recs = journalChain(station.stationId, 500);
    const acks = await Promise.all([service(a).ingestGrouped(station, batch(recs)), service(b).ingestGrouped(station, batch(recs))]);
    const byStored = [...acks].sort((x, y) => y.stored - x.stored);
    expect(byStored).toEqual([
      { ackedSeq: 500, stored: 500, duplicates: 0, rejected: [], chainBreaks: [] },
      { ackedSeq: 500, stored: 0, duplicates: 500, rejected: [], chainBreaks: [] },
    ]);
    expect(await acked()).toBe(500);
    expect((await stored()).length).toBe(500);
    expect(await a.client.get('SELECT count(*) AS n FROM journal_conflicts WHERE station_id = ?', [station.stationId])).toEqual({ n: 0 });
  });

  it('keeps the watermark at the gap and moves it when the gap arrives, whatever instance and order', async () => {
    const recs = journalChain(station.stationId, 2000);
    const chunks = [0, 1, 2, 3].map((k) => recs.slice(k * 500, k * 500 + 500));
    const services = [service(a), service(b)];
    // the later half first, each chunk twice (once per instance), all at once
    const order = [3, 2, 1, 0];
    const acks: BatchAck[] = await Promise.all(order.flatMap((k) => services.map((s) => s.ingestGrouped(station, batch(chunks[k]!)))));
    expect(acks.reduce((s, x) => s + x.stored, 0)).toBe(2000);
    expect(acks.reduce((s, x) => s + x.duplicates, 0)).toBe(2000);
    expect(acks.flatMap((x) => x.chainBreaks)).toEqual([]);
    // whichever batch filled the last gap acknowledged the whole chain; none acknowledged past a gap
    expect(Math.max(...acks.map((x) => x.ackedSeq))).toBe(2000);
    expect(await acked()).toBe(2000);
    expect((await stored()).length).toBe(2000);
    expect(await alerts()).toEqual([]);
  });

  it('still finds a tampered record and a conflicting copy when instances race', async () => {
    const recs = journalChain(station.stationId, 20);
    const tampered = { ...recs[9]!, verdict: 'DENY' as const };
    const other = journalChain(station.stationId, 20, () => ({ plate: '29A-999.99' }))[14]!;
    const [x, y] = await Promise.all([
      service(a).ingestGrouped(station, batch([...recs.slice(0, 9), tampered, ...recs.slice(10)])),
      service(b).ingestGrouped(station, batch([other])),
    ]);
    const acks = [x, y];
    // seq 15 is stored once, with whichever copy came first; the other is kept aside as a conflict
    expect(acks.reduce((s, k) => s + k.stored, 0)).toBe(20);
    expect(acks.flatMap((k) => k.rejected).map((r) => r.seq)).toEqual([15]);
    expect(acks.flatMap((k) => k.chainBreaks).map((c) => c.seq)).toContain(10);
    expect(await a.client.get('SELECT count(*) AS n FROM journal_conflicts WHERE station_id = ?', [station.stationId])).toEqual({ n: 1 });
    expect(await a.client.all('SELECT seq FROM journal WHERE station_id = ? AND NOT hash_ok', [station.stationId])).toEqual([{ seq: 10 }]);
  });

  it('stores groups of many stations arriving at both instances in opposite orders, beside heartbeat groups, without a deadlock', async () => {
    const many: AuthStation[] = [];
    for (let k = 0; k < 12; k++) {
      const id = `grp-${n}-${k}`;
      many.push({ stationId: id, checkpointId: 1000 + k, province: 79, lanes });
      await insertStationRow(a.client, many[k]!);
    }
    const chains = new Map(many.map((st) => [st.stationId, journalChain(st.stationId, 40)]));
    const [sa, sb] = [service(a), service(b)];
    const beats = (db: PgServerDatabase, order: AuthStation[]) => db.client.transaction(() => sqlStationRepository(db.client).saveHeartbeats(
      order.map((st) => ({ stationId: st.stationId, at: clock(), heartbeat: { lastSeq: 40 }, clockSkewMs: 0 }))));
    const reversed = [...many].reverse();
    // each instance's uploads arrive in one turn: one group each, the two groups sharing every station
    const acks = await Promise.all([
      ...many.map((st) => sa.ingestGrouped(st, { stationId: st.stationId, records: chains.get(st.stationId)!.slice(0, 30) })),
      ...reversed.map((st) => sb.ingestGrouped(st, { stationId: st.stationId, records: chains.get(st.stationId)!.slice(10, 40) })),
      beats(a, reversed).then(() => null),
      beats(b, many).then(() => null),
    ]);
    const answered = acks.filter((x): x is BatchAck => x !== null);
    expect(answered.reduce((t, x) => t + x.stored, 0)).toBe(12 * 40);
    expect(answered.flatMap((x) => x.chainBreaks)).toEqual([]);
    const rows = await a.client.all<{ station_id: string; n: number; acked_seq: number; last_heartbeat_at: number }>(
      `SELECT s.station_id, s.acked_seq, s.last_heartbeat_at, (SELECT count(*) FROM journal j WHERE j.station_id = s.station_id) AS n
       FROM stations s WHERE s.station_id LIKE ? ORDER BY s.station_id`, [`grp-${n}-%`]);
    expect(rows.map((r) => [r.n, r.acked_seq, r.last_heartbeat_at])).toEqual(many.map(() => [40, 40, clock()]));
  });
});
