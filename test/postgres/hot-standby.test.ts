import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findPgBinDir } from '../support/pg-cluster.js';
import { REPLICATION_ROLE, startPrimaryWithStandby, type PrimaryAndStandby } from '../support/pg-standby.js';

// Its own two clusters, whatever TEST_DATABASE_URL names: a standby needs the server binaries here.
const skip = findPgBinDir() ? null : 'no PostgreSQL server binaries on this machine (apt-get install postgresql)';

/** pg_lsn as a number, to compare positions in the WAL */
function lsn(text: string): bigint {
  const [hi, lo] = text.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

async function one<T>(c: pg.Client, text: string, values: unknown[] = []): Promise<T> {
  return Object.values((await c.query(text, values)).rows[0] as Record<string, unknown>)[0] as T;
}

const WAIT = { timeout: 20_000, interval: 20 };

describe.skipIf(skip)(`a primary and a hot standby on this machine${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let pair: PrimaryAndStandby;
  let primary: pg.Client;
  let standby: pg.Client;

  beforeAll(async () => {
    pair = await startPrimaryWithStandby();
    primary = new pg.Client({ connectionString: pair.primary.url });
    standby = new pg.Client({ connectionString: pair.standby.url });
    await primary.connect();
    await standby.connect();
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled([primary?.end(), standby?.end()]);
    await pair?.stop();
  });

  /** the standby has received (or replayed) the primary's WAL up to all it has inserted (its commits are asynchronous: fsync is off) */
  async function standbyHas(what: 'receive' | 'replay'): Promise<void> {
    const target = lsn(await one<string>(primary, 'select pg_current_wal_insert_lsn()::text'));
    await vi.waitFor(async () => {
      const at = await one<string | null>(standby, `select pg_last_wal_${what}_lsn()::text`);
      expect(at !== null && lsn(at) >= target).toBe(true);
    }, WAIT);
  }

  const stationRecords = (c: pg.Client) => one<number>(c, "select count(*)::int from probe_journal where station_id = 'st-79-001'");
  const insertSeqs = (from: number, to: number) =>
    primary.query("insert into probe_journal select 'st-79-001', s from generate_series($1::int, $2::int) s", [from, to]);

  it('the standby answers with the primary\'s commits; paused, it applies nothing; promoted after the stream was cut, it lacks the last commits', async () => {
    await primary.query('create table probe_journal (station_id text not null, seq bigint not null, primary key (station_id, seq))');
    await insertSeqs(1, 100);
    await standbyHas('replay');
    expect(await one<boolean>(standby, 'select pg_is_in_recovery()')).toBe(true);
    expect(await stationRecords(standby)).toBe(100);
    await expect(standby.query("insert into probe_journal values ('st-79-001', 101)")).rejects.toMatchObject({ code: '25006' }); // read-only transaction

    // Replay paused: commits reach the standby's disk but not its queries.
    await standby.query('select pg_wal_replay_pause()');
    await vi.waitFor(async () => expect(await one<string>(standby, 'select pg_get_wal_replay_pause_state()')).toBe('paused'), WAIT);
    await insertSeqs(101, 150);
    await standbyHas('receive');
    expect(await stationRecords(standby)).toBe(100);

    // The primary's last WAL is never shipped (its host dies first): here, the primary stops letting
    // the standby stream. (Cutting it on the standby's side, primary_conninfo = '', waits for the
    // pause to end: a paused standby does not restart its WAL receiver.)
    await primary.query(`alter role ${REPLICATION_ROLE} noreplication`);
    await primary.query('select pg_terminate_backend(pid) from pg_stat_replication');
    await vi.waitFor(async () => expect(await one<number>(primary, 'select count(*)::int from pg_stat_replication')).toBe(0), WAIT);
    await insertSeqs(151, 200);
    expect(await stationRecords(primary)).toBe(200);

    // Promotion ends the pause and replays what was received (101..150), then takes writes.
    expect(await one<boolean>(standby, 'select pg_promote(true, 60)')).toBe(true);
    expect(await one<boolean>(standby, 'select pg_is_in_recovery()')).toBe(false);
    expect(await stationRecords(standby)).toBe(150);
    expect(await one<number>(standby, "select max(seq)::int from probe_journal where station_id = 'st-79-001'")).toBe(150);
    // What the old primary acknowledged after the cut (151..200) is not there: the stations must send it again.
    await standby.query("insert into probe_journal select 'st-79-001', s from generate_series(151, 200) s");
    expect(await stationRecords(standby)).toBe(200);
  }, 90_000);
});
