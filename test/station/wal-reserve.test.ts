import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStationStore } from '../../station/store/store.js';
import { reserveWal } from '../../station/store/wal-reserve.js';
import { draft } from './record-draft.js';

const MiB = 1 << 20;
let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wal-reserve-'));
  path = join(dir, 'station.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const append = (store: ReturnType<typeof openStationStore>, n: number) => {
  for (let i = 0; i < n; i++) store.appendDecision({ records: [draft({ at: Date.now() })] });
};

describe('the journal WAL reserved before the store opens', () => {
  it('is laid down for an existing journal file without a WAL, and SQLite commits into it without growing or shrinking it', () => {
    openStationStore(path).close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const store = openStationStore(path, { walReserveBytes: 2 * MiB, walAutocheckpoint: 0 });
    try {
      expect(statSync(`${path}-wal`).size).toBe(2 * MiB);
      append(store, 50);
      expect(statSync(`${path}-wal`).size).toBe(2 * MiB);
      // another connection reads what was committed into the reserved file
      const reader = openStationStore(path);
      expect(reader.journalSince(0, 1000)).toHaveLength(50);
      reader.close();
    } finally {
      store.close();
    }
    const again = openStationStore(path);
    expect(again.verifyChain()).toEqual({ ok: true, records: 50 });
    again.close();
  });

  it('leaves alone a WAL already there (a crash left decisions in it) and a database not yet created', () => {
    expect(reserveWal(path, MiB)).toBe(false);
    expect(existsSync(`${path}-wal`)).toBe(false);
    const store = openStationStore(path, { walAutocheckpoint: 0 });
    try {
      append(store, 5);
      const before = readFileSync(`${path}-wal`);
      expect(before.length).toBeGreaterThan(0);
      expect(reserveWal(path, MiB)).toBe(false);
      expect(readFileSync(`${path}-wal`).equals(before)).toBe(true);
    } finally {
      store.close();
    }
  });

  it('kill -9 right after a commit loses nothing, also when the commits after a checkpoint wrote over the reserved WAL from its start', async () => {
    openStationStore(path).close();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./wal-crash-child.ts', import.meta.url)), path, '400', String(8 * MiB)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    expect(exited).toBe('SIGKILL');
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { seq?: number; hash?: string; checkpoint?: { walFrames: number; checkpointed: number } });
    const printed = lines.filter((l) => l.seq !== undefined);
    expect(printed).toHaveLength(400);
    // the checkpoint took in the whole WAL, so the next commit started it again from its start
    const { checkpoint } = lines.find((l) => l.checkpoint)!;
    expect(checkpoint!.walFrames).toBeGreaterThan(0);
    expect(checkpoint!.checkpointed).toBe(checkpoint!.walFrames);
    // killed: the WAL is still there, at the reserved size (not grown by the 200 commits after the restart)
    expect(statSync(`${path}-wal`).size).toBe(8 * MiB);

    const store = openStationStore(path);
    try {
      const journal = store.journalSince(0, 1000);
      expect(store.verifyChain()).toEqual({ ok: true, records: 400 });
      expect(journal.map((r) => [r.seq, r.hash])).toEqual(printed.map((p) => [p.seq, p.hash]));
    } finally {
      store.close();
    }
  }, 60_000);
});
