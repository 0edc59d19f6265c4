/**
 * The server's one data-access seam: an async SQL client with explicit transactions, implemented for
 * SQLite (better-sqlite3, the embedded default) and PostgreSQL (node-postgres, production). Services
 * never see a driver: repositories take a `SqlClient` and write portable SQL.
 *
 * Portable SQL, as the repositories write it:
 * - parameters as `?` (positional) or `@name` (named, from an object); the PostgreSQL client rewrites
 *   them to `$1…`. A `?` or `@` inside a quoted string literal is left alone.
 * - `INSERT … ON CONFLICT (…) DO NOTHING / DO UPDATE SET x = excluded.x` (never `INSERT OR …`),
 *   `RETURNING` for generated ids (never `sqlite_sequence` or `last_insert_rowid()`).
 * - booleans stored and read as 1/0 on both (the PostgreSQL client reads `boolean` as 1/0), JSON as
 *   text (the PostgreSQL client reads json/jsonb as its text), int8 as a JS number.
 * - what differs by dialect (date arithmetic, JSON paths, case-insensitive matching, aggregates)
 *   through `client.dialect`, or through a repository per dialect for the few hot statements.
 *
 * Transactions: `transaction(fn)` runs fn in one transaction, carried in AsyncLocalStorage, so every
 * statement fn awaits (through any repository) joins it; a nested call joins the outer one. An error
 * rolls the whole transaction back and propagates.
 */
export type SqlValue = string | number | bigint | null | Buffer;
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;
export type SqlDialect = 'sqlite' | 'postgres';

export interface RunResult {
  /** rows inserted, updated or deleted */
  changes: number;
}

export interface SqlClient {
  readonly dialect: SqlDialect;
  all<R = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<R[]>;
  get<R = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<R | undefined>;
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  /** several statements without parameters (migrations, DDL in tests) */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** true inside `transaction` (repositories that must be called inside one assert it) */
  inTransaction(): boolean;
  close(): Promise<void>;
}

/** A unique or primary-key constraint refused the write (either dialect). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A foreign key refused the write (either dialect). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
