import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GENESIS_HASH } from '../../shared/journal/hash-chain.js';
import { TestStation, world, type World } from './harness.js';

let w: World | null = null;
let st: TestStation | null = null;

afterEach(async () => {
  await st?.stop();
  await w?.central.stop();
  w?.cleanup();
  w = st = null;
});

/** Every record the station journaled is at the server exactly once, with the same hash. */
async function allAtServer(s: TestStation, x: World): Promise<void> {
  await vi.waitFor(() => {
    expect(s.station.store.outboxBacklog()).toBe(0);
    expect(x.central.stored(s.station.config.stationId)).toEqual(s.journal());
  }, { timeout: 20_000, interval: 20 });
}

/** The station's chain as the server holds it: every record links to the one before, each matched its own hash. */
function serverChain(x: World, stationId: string): { linked: boolean; hashesOk: boolean; alerts: number; conflicts: number } {
  const sqlite = x.central.app!.database.sqlite;
  const rows = sqlite.prepare('SELECT seq, hash, prev_hash AS prevHash, hash_ok AS hashOk FROM journal WHERE station_id = ? ORDER BY seq')
    .all(stationId) as { seq: number; hash: string; prevHash: string; hashOk: number }[];
  const linked = rows.every((r, i) => r.seq === i + 1 && r.prevHash === (i === 0 ? GENESIS_HASH : rows[i - 1]!.hash));
  const alerts = sqlite.prepare("SELECT count(*) FROM station_alerts WHERE station_id = ? AND kind IN ('CHAIN_BREAK', 'SEQ_CONFLICT')").pluck().get(stationId) as number;
  const conflicts = sqlite.prepare('SELECT count(*) FROM journal_conflicts WHERE station_id = ?').pluck().get(stationId) as number;
  return { linked, hashesOk: rows.every((r) => r.hashOk === 1), alerts, conflicts };
}

describe('failover to a standby that lagged behind', () => {
  it('the station sees the acknowledged seq move back and sends the lost records again: every record once, the chain whole', async () => {
    w = await world();
    st = new TestStation(join(w.dir, 'station'), w.seed);
    await st.start({ url: w.central.url, credential: w.seed.station.secret });
    await st.link!.syncNow();
    const stationId = st.station.config.stationId;
    for (const p of w.seed.walkIns) await st.scan(p.code);
    await allAtServer(st, w);

    // The standby has replayed this far when the primary goes down.
    const standby = join(w.dir, 'standby.sqlite');
    await w.central.app!.database.sqlite.backup(standby);
    const replayed = w.central.stored(stationId).length;

    // More crossings, acknowledged by the primary alone: the station's watermark moves past the standby's.
    for (const v of w.seed.vehicles.slice(0, 4)) await st.scan(v.passCode);
    await allAtServer(st, w);
    const acknowledged = st.station.store.ackedSeq();
    expect(acknowledged).toBeGreaterThan(replayed);

    // Failover: the promoted standby answers at the same address.
    await w.central.stop();
    const dbFile = join(w.central.dataDir, 'server.sqlite');
    for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
    copyFileSync(standby, dbFile);
    await w.central.start();
    expect(w.central.stored(stationId).length).toBe(replayed);

    // The server's watermark for the station is the one committed with the records it holds, not the
    // primary's: the next upload is acknowledged up to the standby's head only.
    const watermark = w.central.app!.database.sqlite.prepare('SELECT acked_seq FROM stations WHERE station_id = ?').pluck().get(stationId);
    expect(watermark).toBe(replayed);
    await st.scan(w.seed.walkIns[0]!.code, 'exit');
    await allAtServer(st, w);
    expect(st.station.store.ackedSeq()).toBe(st.station.store.lastSeq());
    expect(st.station.store.verifyChain()).toMatchObject({ ok: true });
    expect(serverChain(w, stationId)).toEqual({ linked: true, hashesOk: true, alerts: 0, conflicts: 0 });
  }, 60_000);
});
