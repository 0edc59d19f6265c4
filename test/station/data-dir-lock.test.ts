import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from '../../station/data-dir-lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lock-'));
  dirs.push(d);
  return d;
};

describe('one station process per data dir', () => {
  it('a live owner makes a second station refuse to start, naming the pid', async () => {
    const dir = tempDir();
    const other = spawn('sleep', ['30']);
    await new Promise((r) => other.once('spawn', r));
    try {
      writeFileSync(join(dir, 'station.lock'), String(other.pid));
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dir)).toThrow(new RegExp(`pid ${other.pid}`));
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
    // The owner died without cleaning up (as after SIGKILL): its stale lock is taken over.
    const lock = acquireDataDirLock(dir);
    expect(existsSync(join(dir, 'station.lock'))).toBe(true);
    lock.release();
    expect(existsSync(join(dir, 'station.lock'))).toBe(false);
  });
});
