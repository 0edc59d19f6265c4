import { closeSync, fdatasyncSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize } from '../lib/stats.js';

export interface FsyncFloorMode {
  /** fsync (what SQLite calls as better-sqlite3 builds it: no HAVE_FDATASYNC) or fdatasync */
  call: 'fsync' | 'fdatasync';
  /** over 64 preallocated slots, or each write past the file's end (a WAL growing from empty) */
  write: 'overwrite' | 'append';
}

/**
 * The disk's own floor for a durable decision: one write of two pages and its sync (by default the
 * syscall SQLite's WAL commit makes, fsync, over a preallocated file), no SQLite, no station. Taken
 * between the timed scans, never during one, so it sees the disk as the decisions saw it in the same
 * minutes: on a shared machine the fsync tail moves with everyone's I/O, and a decide p99 is read
 * against this.
 */
export class FsyncFloor {
  private readonly fd: number;
  private readonly page = Buffer.alloc(8192, 0x5a);
  private readonly slots = 64;
  private next = 0;
  private readonly sync: (fd: number) => void;
  readonly ms: number[] = [];

  constructor(dir: string, private readonly mode: FsyncFloorMode = { call: 'fsync', write: 'overwrite' }, name = 'fsync-floor.bin') {
    this.fd = openSync(join(dir, name), 'w+');
    this.sync = mode.call === 'fsync' ? fsyncSync : fdatasyncSync;
    if (mode.write === 'overwrite') for (let i = 0; i < this.slots; i++) writeSync(this.fd, this.page, 0, this.page.length, i * this.page.length);
    fsyncSync(this.fd);
  }

  /** one durable write, timed */
  once(): number {
    const t0 = performance.now();
    const slot = this.mode.write === 'overwrite' ? this.next++ % this.slots : this.next++;
    writeSync(this.fd, this.page, 0, this.page.length, slot * this.page.length);
    this.sync(this.fd);
    const ms = performance.now() - t0;
    this.ms.push(ms);
    return ms;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * `npx tsx test/bench/measures/fsync-floor.ts [samples] [dir]`: the four floors side by side, in
 * alternating blocks so all see the same load: what a WAL commit's sync costs when it grows the file
 * (the inode's size and block map must be journaled too) against an overwrite of blocks already
 * there, with fsync (which also journals the mtime each write changes) and with fdatasync (which
 * does not).
 */
if (import.meta.url === `file://${process.argv[1]}`) {
  const samples = Number(process.argv[2] ?? 2000);
  const dir = mkdtempSync(join(process.argv[3] ?? tmpdir(), 'fsync-floor-'));
  const modes: FsyncFloorMode[] = [
    { call: 'fsync', write: 'overwrite' }, { call: 'fsync', write: 'append' },
    { call: 'fdatasync', write: 'overwrite' }, { call: 'fdatasync', write: 'append' },
  ];
  const floors = modes.map((m, i) => new FsyncFloor(dir, m, `floor-${i}.bin`));
  try {
    for (let done = 0; done < samples; done += 50) for (const f of floors) for (let k = 0; k < 50; k++) f.once();
    const out = Object.fromEntries(modes.map((m, i) => [`${m.call} ${m.write}`, summarize(floors[i]!.ms)]));
    console.log(JSON.stringify(out, null, 2));
  } finally {
    for (const f of floors) f.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
