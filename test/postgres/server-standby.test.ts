import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GENESIS_HASH } from '../../shared/journal/hash-chain.js';
import { findPgBinDir } from '../support/pg-cluster.js';
import { REPLICATION_ROLE, startPrimaryWithStandby, type PrimaryAndStandby } from '../support/pg-standby.js';
import { Central, TestStation, world, type World } from '../system/harness.js';

// Its own two clusters, whatever TEST_DATABASE_URL names: a standby needs the server binaries here.
const skip = findPgBinDir() ? null : 'no PostgreSQL server binaries on this machine (apt-get install postgresql)';
const WAIT = { timeout: 30_000, interval: 25 };

let pair: PrimaryAndStandby | null = null;
let w: World | null = null;
let st: TestStation | null = null;
let promoted: Central | null = null;
afterEach(async () => {
  await st?.stop();
  await promoted?.stop();
  await w?.central.stop();
  w?.cleanup();
  await pair?.stop();
  pair = w = st = promoted = null;
});

async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

/** (seq, hash) of a station's records as a database holds them */
const storedAt = (url: string, stationId: string) =>
  query<{ seq: number; hash: string }>(url, 'SELECT seq::int AS seq, hash FROM journal WHERE station_id = $1 ORDER BY seq', [stationId]);

describe.skipIf(skip)(`the server on a PostgreSQL primary with a hot standby${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('audit searches read the standby; after a failover to the lagging standby the server carries on and holds every record once', async () => {
    pair = await startPrimaryWithStandby();
    const primaryUrl = pair.primary.url;
    const standbyUrl = pair.standby.url;
    w = await world({ vehicles: 6, walkIns: 3, env: { DATABASE_URL: primaryUrl, DATABASE_READ_URL: standbyUrl } });
    st = new TestStation(join(w.dir, 'station'), w.seed);
    await st.start({ url: w.central.url, credential: w.seed.station.secret });
    await st.link!.syncNow();
    const stationId = st.station.config.stationId;
    const journal = () => st!.journal();
    const allStoredAt = async (url: string) =>
      vi.waitFor(async () => {
        expect(st!.station.store.outboxBacklog()).toBe(0);
        expect(await storedAt(url, stationId)).toEqual(journal());
      }, WAIT);

    const app = w.central.app!;
    const command = await app.users.create(null, { username: 'chihuy79', password: 'mật khẩu đủ dài 123', role: 'command', province: 79 });
    const { token } = await app.users.createApiToken({ id: command.id, username: command.username, role: 'command', province: 79 }, 'test');
    const search = async (a = w!.central.app!) =>
      ((await a.inject({ url: `/api/v1/crossings?stationId=${stationId}&limit=200`, headers: { authorization: `Bearer ${token}` } })).json() as { total: number }).total;

    for (const p of w.seed.walkIns) await st.scan(p.code);
    await allStoredAt(primaryUrl);
    await vi.waitFor(async () => expect(await search()).toBe(journal().length), WAIT);

    // The standby's replay paused: a new crossing is acknowledged by the primary, but the command
    // centre's search (read from the standby) does not see it until replay resumes.
    await query(standbyUrl, 'SELECT pg_wal_replay_pause()');
    await vi.waitFor(async () => expect((await query<{ s: string }>(standbyUrl, 'SELECT pg_get_wal_replay_pause_state() AS s'))[0]!.s).toBe('paused'), WAIT);
    const before = await search();
    await st.scan(w.seed.vehicles[0]!.passCode);
    await allStoredAt(primaryUrl);
    expect(journal().length).toBeGreaterThan(before);
    expect(await search()).toBe(before);
    await query(standbyUrl, 'SELECT pg_wal_replay_resume()');
    await vi.waitFor(async () => expect(await search()).toBe(journal().length), WAIT);

    // The primary's last WAL never reaches the standby (its host dies first): cut the stream, and
    // let the primary acknowledge more crossings the standby will never have.
    await query(primaryUrl, `ALTER ROLE ${REPLICATION_ROLE} NOREPLICATION`);
    await query(primaryUrl, 'SELECT pg_terminate_backend(pid) FROM pg_stat_replication');
    await vi.waitFor(async () => expect(await query(primaryUrl, 'SELECT 1 FROM pg_stat_replication')).toEqual([]), WAIT);
    for (const v of w.seed.vehicles.slice(1, 4)) await st.scan(v.passCode);
    await allStoredAt(primaryUrl);
    const acknowledged = st.station.store.ackedSeq();

    // Failover: the primary's server goes; the standby is promoted; the server starts on it at the same address.
    const port = w.central.port;
    await w.central.stop();
    await pair.primary.stop();
    expect((await query<{ ok: boolean }>(standbyUrl, 'SELECT pg_promote(true, 60) AS ok'))[0]!.ok).toBe(true);
    const lost = acknowledged - (await storedAt(standbyUrl, stationId)).length;
    expect(lost).toBeGreaterThan(0);
    promoted = new Central(w.central.dataDir, { DATABASE_URL: standbyUrl });
    promoted.port = port;
    await promoted.start();

    // The station sees its acknowledged seq move back and sends the lost records again from its journal.
    await st.scan(w.seed.walkIns[0]!.code, 'exit');
    await allStoredAt(standbyUrl);
    expect(st.station.store.ackedSeq()).toBe(st.station.store.lastSeq());
    const chain = await query<{ seq: number; hash: string; prev: string; ok: boolean }>(
      standbyUrl, 'SELECT seq::int AS seq, hash, prev_hash AS prev, hash_ok AS ok FROM journal WHERE station_id = $1 ORDER BY seq', [stationId]);
    expect(chain.every((r, i) => r.seq === i + 1 && r.ok && r.prev === (i === 0 ? GENESIS_HASH : chain[i - 1]!.hash))).toBe(true);
    expect(await query(standbyUrl, "SELECT 1 FROM station_alerts WHERE station_id = $1 AND kind IN ('CHAIN_BREAK', 'SEQ_CONFLICT')", [stationId])).toEqual([]);
    expect(await search(promoted.app!)).toBe(journal().length);
  }, 180_000);
});
