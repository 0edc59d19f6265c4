import Database from 'better-sqlite3';
import { cachePathFor } from '../../station/store/store.js';

/** A read-only connection to one of a running station's files, for `fn` only. */
export function peek<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * A running station's outbox, read beside it (WAL allows readers beside the writers): the journal
 * above the upload watermark, which lives in the cache file.
 */
export function peekOutbox(journalPath: string): number {
  const acked = peek(cachePathFor(journalPath), (db) => (db.prepare('SELECT acked_seq FROM upload_state WHERE id = 1').pluck().get() as number | undefined) ?? 0);
  const last = peek(journalPath, (db) => (db.prepare('SELECT max(seq) FROM journal').pluck().get() as number | null) ?? 0);
  return Math.max(0, last - acked);
}
