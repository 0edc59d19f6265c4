import type Database from 'better-sqlite3';

/**
 * Run `fn` in a write transaction. Inside one already, join it instead of opening a savepoint per
 * call (bulk imports make one call per row): an error still propagates to the outermost
 * transaction, which then rolls back as a whole, and every caller here lets errors propagate.
 */
export function withTransaction<T>(db: Database.Database, fn: () => T): T {
  return db.inTransaction ? fn() : db.transaction(fn)();
}
