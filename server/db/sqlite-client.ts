import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { RunResult, SqlClient, SqlParams } from './sql-client.js';

const MAX_CACHED_STATEMENTS = 1000;

/**
 * SqlClient over one better-sqlite3 connection. Statements are prepared once per SQL text and run
 * synchronously (a call's statement runs when it is called; the promise is already settled), so the
 * async layer costs SQLite a microtask per call, not a thread hop.
 *
 * One connection means one transaction at a time: `transaction` queues behind the open one, and a
 * statement from outside the open transaction waits for it to end rather than silently joining it.
 */
export class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly context = new AsyncLocalStorage<symbol>();
  private open: symbol | null = null;
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly raw: Database.Database) {}

  all<R>(sql: string, params?: SqlParams): Promise<R[]> {
    return this.when(() => bind(this.statement(sql), params, 'all') as R[]);
  }

  get<R>(sql: string, params?: SqlParams): Promise<R | undefined> {
    return this.when(() => bind(this.statement(sql), params, 'get') as R | undefined);
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return this.when(() => ({ changes: (bind(this.statement(sql), params, 'run') as Database.RunResult).changes }));
  }

  exec(sql: string): Promise<void> {
    return this.when(() => void this.raw.exec(sql));
  }

  inTransaction(): boolean {
    return this.open !== null && this.context.getStore() === this.open;
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return fn();
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await before;
    const tx = Symbol('transaction');
    this.open = tx;
    try {
      this.raw.exec('BEGIN IMMEDIATE');
      try {
        const out = await this.context.run(tx, fn);
        this.raw.exec('COMMIT');
        return out;
      } catch (err) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.open = null;
      release();
    }
  }

  async close(): Promise<void> {
    await this.tail;
    if (this.raw.open) this.raw.close();
  }

  /** Run now unless another caller's transaction is open; then after it (and any queued) ends. */
  private when<T>(work: () => T): Promise<T> {
    if (this.open === null || this.inTransaction()) {
      try {
        return Promise.resolve(work());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.tail.then(() => this.when(work));
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      s = this.raw.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}

function bind(s: Database.Statement, params: SqlParams | undefined, how: 'all' | 'get' | 'run'): unknown {
  if (params === undefined) return s[how]();
  if (Array.isArray(params)) return s[how](...(params as unknown[]));
  return s[how](params);
}
