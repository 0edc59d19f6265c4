import { closeSync, existsSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const CHUNK = Buffer.alloc(1 << 20);

/**
 * Lay down the journal file's WAL, zero-filled, before SQLite opens it, so that a decision's commit
 * writes over blocks the file already has instead of growing it. Growing it means the commit's fsync
 * also journals the file's new size and block map (ext4): measured here, the p50 of a two-page write
 * and its fsync was half again as long appending as overwriting (test/bench/measures/fsync-floor.ts).
 * SQLite keeps a WAL's file at its high-water mark (journal_size_limit stays -1, and the link's
 * checkpoints are PASSIVE, never TRUNCATE), and after each checkpoint it writes the WAL again from
 * its start, so once reserved, every commit is an overwrite until the WAL outgrows the reservation.
 *
 * Only when there is no WAL: one left by a crash holds committed decisions, and SQLite reads it back.
 * A WAL whose header is not valid (zeros) is an empty WAL to SQLite: it writes a fresh header over it
 * at the first commit. Only for an existing database (a new one is created by SQLite, WAL and all).
 * Returns whether it reserved.
 */
export function reserveWal(dbPath: string, bytes: number): boolean {
  const wal = `${dbPath}-wal`;
  if (bytes <= 0 || dbPath === ':memory:' || !existsSync(dbPath) || existsSync(wal)) return false;
  let fd: number;
  try {
    fd = openSync(wal, 'wx');
  } catch {
    return false; // created meanwhile: not ours to touch
  }
  try {
    for (let at = 0; at < bytes; at += CHUNK.length) writeSync(fd, CHUNK, 0, Math.min(CHUNK.length, bytes - at), at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const dir = openSync(dirname(wal), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return true;
}
