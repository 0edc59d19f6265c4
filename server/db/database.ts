import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.js';
import type { SqlClient } from './sql-client.js';
import { SqliteClient } from './sqlite-client.js';

export type ServerDb = BetterSQLite3Database<typeof schema>;
export type SqliteHandle = Database.Database;

export interface ServerDatabase {
  readonly db: ServerDb;
  /** the raw driver, for prepared hot statements inside repositories only */
  readonly sqlite: SqliteHandle;
  /** the async data-access layer every repository moves to (server/db/sql-client.ts) */
  readonly client: SqlClient;
  close(): void;
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Open (or create) the server database with explicit pragmas and apply the migrations.
 *
 * synchronous=FULL, not NORMAL: an acknowledged upload lets the station delete its copy, so a
 * committed batch must survive a power cut; with WAL, FULL costs one fsync per transaction (one per
 * uploaded batch), which ingest amortises over up to 1000 records.
 */
/**
 * The database holds personal data and password hashes: its folder is 0700 and its files 0600, as
 * the key files are. The file is created 0600 before SQLite opens it, and SQLite gives its -wal and
 * -shm files the main file's mode; looser modes found on start are tightened.
 */
function privateFiles(path: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Not a shared sticky folder such as /tmp (a DB_FILE placed there directly): only our own data folder.
  if ((statSync(dir).mode & 0o1000) === 0) chmodSync(dir, 0o700);
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) if (existsSync(f)) chmodSync(f, 0o600);
}

export function openServerDatabase(path: string): ServerDatabase {
  if (path !== ':memory:') privateFiles(path);
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('temp_store = MEMORY');
  // 64 MiB of page cache (default 2 MiB): the journal's indexes stay hot during ingest
  sqlite.pragma('cache_size = -65536');
  // Checkpoint every 16k WAL pages (64 MiB) instead of 1000: ingest dirties index pages all over the
  // plate/citizen/pass indexes, and a rarer checkpoint copies each hot page once instead of many times
  // (measured: about 1.5x ingest). Durability is the WAL's fsync at each commit, not the checkpoint.
  sqlite.pragma('wal_autocheckpoint = 16384');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  let open = true;
  return {
    db,
    sqlite,
    client: new SqliteClient(sqlite),
    close() {
      if (!open) return;
      open = false;
      sqlite.close();
    },
  };
}
