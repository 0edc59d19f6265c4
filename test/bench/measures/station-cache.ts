import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { publicKeyFromRaw } from '../../../shared/codes/keys.js';
import { benchKeys, writeServerKeys } from '../lib/dataset.js';
import { Child } from '../lib/ipc.js';
import { cachedNationalDb, HERE, type NationalSizes } from '../lib/national-db.js';
import { snapshotToStation } from './server-load.js';

/**
 * stationCache (issue 12): a station of Long An takes its first snapshot from a national server with
 * `passes` passes of every province and `flags` health flags, once with `population` people and once
 * with twice as many. What it holds should depend on the passes crossing it and the flags, never on
 * the population: the two stores must be the same size.
 */
export interface StationCacheRun {
  population: number;
  passesHere: number;
  statusLines: number;
  flags: number;
  storeMb: number;
  snapshotSeconds: number;
  /** of which in the station's store (the rest: the server's walk, HTTP, parsing and contract checks) */
  storeSeconds: number;
  items: number;
}

export interface StationCacheResult {
  passesNational: number;
  passesHere: number;
  flags: number;
  storeMb: number;
  snapshotSeconds: number;
  /** the same snapshot from a server with twice the population */
  doubled: StationCacheRun;
  first: StationCacheRun;
  /** store size with the doubled population equals the first (bytes of both files, after a checkpoint) */
  storeUnchanged: boolean;
}

const PAGE = 10_000;

function bytes(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** Rows the station holds, and the bytes of its two files once the WAL is folded back in. */
function stationStore(dir: string): { passes: number; statusLines: number; flags: number; bytes: number } {
  const cache = join(dir, 'station-cache.db');
  const db = new Database(cache);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    const out = { passes: count('passes'), statusLines: count('pass_status'), flags: count('health_flags') };
    db.close();
    const journal = join(dir, 'station.db');
    return { ...out, bytes: bytes(cache) + bytes(`${cache}-wal`) + bytes(journal) + bytes(`${journal}-wal`) };
  } catch (err) {
    if (db.open) db.close();
    throw err;
  }
}

async function oneRun(runDir: string, cacheDir: string, sizes: NationalSizes, doubled: boolean, log: (m: string) => void, profArgs: string[]): Promise<StationCacheRun & { storeBytes: number }> {
  const cached = cachedNationalDb(cacheDir, sizes, doubled, log).file;
  const dir = join(runDir, doubled ? 'national-doubled' : 'national');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'server'), { recursive: true });
  const dbFile = join(dir, 'server', 'server.sqlite');
  copyFileSync(cached, dbFile);
  writeServerKeys(benchKeys(cacheDir), join(dir, 'server', 'keys'));
  const server = await Child.start(new URL('../lib/server-child.ts', import.meta.url), [JSON.stringify({ dataDir: join(dir, 'server'), dbFile, keysDir: join(dir, 'server', 'keys') })], profArgs);
  try {
    const { port } = await server.call<{ port: number }>('address');
    const rootKey = publicKeyFromRaw(Buffer.from(await server.call<string>('rootPublicKey'), 'base64url'));
    const { secret } = await server.call<{ secret: string }>('register', { stationId: 'bench-tan-an', ...HERE, lanes: [{ id: 'L1', direction: 'entry' }] });
    log(`stationCache: first snapshot of a station of ${HERE.province} (checkpoint ${HERE.checkpointId}), population ${doubled ? 2 * sizes.population : sizes.population}`);
    const snap = await snapshotToStation(`http://127.0.0.1:${port}`, { stationId: 'bench-tan-an', secret }, join(dir, 'station'), rootKey, PAGE);
    const held = stationStore(join(dir, 'station'));
    return {
      population: doubled ? 2 * sizes.population : sizes.population, passesHere: held.passes, statusLines: held.statusLines, flags: held.flags,
      storeMb: Math.round(held.bytes / 1e5) / 10, storeBytes: held.bytes, snapshotSeconds: Math.round(snap.seconds * 100) / 100,
      storeSeconds: Math.round(snap.storeSeconds * 100) / 100, items: snap.items,
    };
  } finally {
    await server.stop();
    rmSync(join(dir, 'server'), { recursive: true, force: true });
  }
}

export async function measureStationCache(o: { runDir: string; cacheDir: string; sizes: NationalSizes; log: (m: string) => void; profArgs?: string[] }): Promise<StationCacheResult> {
  const first = await oneRun(o.runDir, o.cacheDir, o.sizes, false, o.log, o.profArgs ?? []);
  const doubled = await oneRun(o.runDir, o.cacheDir, o.sizes, true, o.log, o.profArgs ?? []);
  const strip = ({ storeBytes: _b, ...r }: StationCacheRun & { storeBytes: number }): StationCacheRun => r;
  return {
    passesNational: o.sizes.passes, passesHere: first.passesHere, flags: first.flags, storeMb: first.storeMb, snapshotSeconds: first.snapshotSeconds,
    first: strip(first), doubled: strip(doubled),
    storeUnchanged: first.storeBytes === doubled.storeBytes && first.passesHere === doubled.passesHere && first.flags === doubled.flags,
  };
}
