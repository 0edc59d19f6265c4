import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DemoSeed } from '../../../demo/seed.js';
import { cachePathFor, openStationStore } from '../../../station/store/store.js';
import type { JournalRecord } from '../../../shared/contracts/journal.js';
import { peek, peekOutbox } from '../../support/station-peek.js';

export const ENTRY_SCANNER = { id: 'scanner-vao', lane: 'L1-vao', direction: 'entry' as const };

/** The config file of the seeded demo station (checkpoint 7901), one entry scanner on `scannerPath`. */
export function writeDemoStationConfig(dir: string, seed: DemoSeed, scannerPath: string, serverUrl: string): string {
  const file = join(dir, 'station.json');
  writeFileSync(file, JSON.stringify({
    stationId: seed.station.stationId,
    checkpointId: seed.station.checkpointId,
    province: 79,
    rootPublicKey: seed.rootPublicKey,
    dataDir: 'data',
    scanners: [{ ...ENTRY_SCANNER, path: scannerPath, suffix: 'cr', debounceMs: 0 }],
    server: { url: serverUrl, credential: seed.station.secret },
  }, null, 2));
  return file;
}

export const stationDbFile = (dir: string) => join(dir, 'data', 'station.db');

/** Read-only peeks at a running station's store (WAL allows a reader beside the writer); `file` 'cache' for the cache file. */
export function peekStation<T>(dir: string, fn: (db: Database.Database) => T, file: 'journal' | 'cache' = 'journal'): T {
  const path = file === 'journal' ? stationDbFile(dir) : cachePathFor(stationDbFile(dir));
  return peek(path, fn);
}

export function stationSynced(dir: string): boolean {
  try {
    return peekStation(dir, (db) => ((db.prepare('SELECT cursor FROM sync_state WHERE id = 1').get() as { cursor: number | null } | undefined)?.cursor ?? 0) > 0, 'cache');
  } catch {
    return false; // not created yet
  }
}

export function stationOutbox(dir: string): number {
  return peekOutbox(stationDbFile(dir));
}

/** The whole journal of a station that is not running, with its chain check (the store's own API). */
export function readStoppedJournal(dir: string): { records: JournalRecord[]; chain: ReturnType<ReturnType<typeof openStationStore>['verifyChain']>; outbox: number } {
  const store = openStationStore(stationDbFile(dir));
  try {
    return { records: store.journalSince(0, 10_000_000), chain: store.verifyChain(), outbox: store.outboxBacklog() };
  } finally {
    store.close();
  }
}

/** Resident set size of a process in bytes, from /proc (Linux); null once it is gone. */
export function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Sample a child's RSS every `everyMs` and keep the peak (a sampler, not a wait). */
export class RssSampler {
  peak = 0;
  samples = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(private pid: number, everyMs = 50) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.sample();
  }
  follow(pid: number): void {
    this.pid = pid;
    this.sample();
  }
  sample(): void {
    const rss = rssOf(this.pid);
    if (rss === null) return;
    this.samples++;
    this.peak = Math.max(this.peak, rss);
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

/** Resolve when `test()` holds, checking every `everyMs`; for state with no event to await (files, another process's DB). */
export async function pollUntil(test: () => boolean, what: string, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
