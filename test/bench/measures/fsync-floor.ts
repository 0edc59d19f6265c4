import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The disk's own floor for a durable decision: one write of two pages over a preallocated file and
 * its fsync (the syscall SQLite's WAL commit makes), no SQLite, no station. Taken between the timed
 * scans, never during one, so it sees the disk as the decisions saw it in the same minutes: on a
 * shared machine the fsync tail moves with everyone's I/O, and a decide p99 is read against this.
 */
export class FsyncFloor {
  private readonly fd: number;
  private readonly page = Buffer.alloc(8192, 0x5a);
  private readonly slots = 64;
  private next = 0;
  readonly ms: number[] = [];

  constructor(dir: string) {
    this.fd = openSync(join(dir, 'fsync-floor.bin'), 'w+');
    for (let i = 0; i < this.slots; i++) writeSync(this.fd, this.page, 0, this.page.length, i * this.page.length);
    fsyncSync(this.fd);
  }

  /** one durable overwrite, timed */
  once(): number {
    const t0 = performance.now();
    writeSync(this.fd, this.page, 0, this.page.length, (this.next++ % this.slots) * this.page.length);
    fsyncSync(this.fd);
    const ms = performance.now() - t0;
    this.ms.push(ms);
    return ms;
  }

  close(): void {
    closeSync(this.fd);
  }
}
