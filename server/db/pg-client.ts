import { AsyncLocalStorage } from 'node:async_hooks';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { numberPlaceholders, valuesFor, type NumberedSql } from './placeholders.js';
import type { RunResult, SqlClient, SqlParams } from './sql-client.js';

/**
 * Rows from PostgreSQL in the shapes SQLite gives, so one repository serves both: int8 and numeric
 * as numbers (our int8 columns hold millisecond times and sequence numbers, far below 2^53),
 * boolean as 1/0, json/jsonb as their text (repositories parse JSON where they need it).
 */
const OID = { bool: 16, int8: 20, json: 114, numeric: 1700, jsonb: 3802 } as const;

function int8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 ${text} is beyond a safe integer`);
  return n;
}

export const sqliteShapedTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    switch (oid) {
      case OID.int8: return int8;
      case OID.numeric: return Number;
      case OID.bool: return (v: string) => (v === 't' ? 1 : 0);
      case OID.json:
      case OID.jsonb: return (v: string) => v;
      default: return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
    }
  },
};

/**
 * SqlClient over a node-postgres pool. Each SQL text becomes a named prepared statement (parsed once
 * per connection). `transaction` checks out one connection for its whole body, carried in
 * AsyncLocalStorage; statements outside a transaction take any pooled connection (autocommit).
 */
export class PgClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  private readonly numbered = new Map<string, NumberedSql & { name: string }>();
  private readonly context = new AsyncLocalStorage<pg.PoolClient>();

  constructor(readonly pool: pg.Pool) {}

  static connect(url: string, options: { max?: number; applicationName?: string; onIdleError?: (err: Error) => void } = {}): PgClient {
    const pool = new pg.Pool({
      connectionString: url, max: options.max ?? 10, types: sqliteShapedTypes, application_name: options.applicationName ?? 'checkpoint-server',
      // Connections are kept 5 minutes idle, not node-postgres's 10 s: a new one costs a backend's fork,
      // its catalog caches and every named statement prepared again, and under a burst after a quiet
      // spell (a province's stations reconnecting) the pool would pay that for each at once.
      idleTimeoutMillis: 5 * 60_000,
      // ...without holding a process open: a command that forgot to close its pool still exits
      allowExitOnIdle: true,
      // Prepared statements are parsed once, and PostgreSQL keeps a generic plan where it costs no
      // more than planning each run (plan_cache_mode=auto, its default). Ingest's statements take all
      // their inputs as one JSON parameter, so a custom plan was the generic plan made again: planning
      // at every run (force_custom_plan, until 2026-12-01) cost PostgreSQL 27.5 s of the national
      // peak's 60 s, a third of its statements' time. A generic plan made while the journal's
      // partitions were empty (a new database, a new month) is not kept past their growth in a form
      // that reads them whole: each probe is a lateral subquery (OFFSET 0) on the key, and
      // test/postgres/ingest-plans.test.ts plans ingest's statements on empty partitions and runs them
      // on filled ones; an ANALYZE of a partition invalidates the plans that read it.
      // No JIT: it is chosen by estimated cost, and a lateral probe per element of a JSON list
      // (`json_to_recordset` is estimated at 100 rows) crosses its thresholds once the journal holds a
      // few million rows: ingest's head and link lookups then spent 190–260 ms compiling to run in
      // 0.2–6 ms (EXPLAIN ANALYZE on 1.6M rows), and ingest fell from 43k to 16k records/s as the
      // journal grew. The command centre's searches are index probes too; nothing here is analytic.
      options: '-c jit=off',
    });
    // An idle connection that dies (the database restarted, failed over, or ended it) is an 'error' on
    // the pool, which kills the process unless heard. The pool has already dropped that connection and
    // the next query opens a new one, so it is reported, not thrown.
    pool.on('error', options.onIdleError ?? ((err) => process.emitWarning(`PostgreSQL: an idle pooled connection ended: ${err.message}`)));
    return new PgClient(pool);
  }

  async all<R>(sql: string, params?: SqlParams): Promise<R[]> {
    return (await this.query(sql, params)).rows as R[];
  }

  async get<R>(sql: string, params?: SqlParams): Promise<R | undefined> {
    return (await this.query(sql, params)).rows[0] as R | undefined;
  }

  async run(sql: string, params?: SqlParams): Promise<RunResult> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await (this.context.getStore() ?? this.pool).query(sql);
  }

  /**
   * `COPY … FROM STDIN` fed with `data` (COPY's text format, server/db/pg-copy.ts) on the transaction's
   * connection; returns the rows copied. A failure (a key already present, a bad value) aborts the
   * COPY and the statement throws, as any other would, leaving the transaction to be rolled back.
   */
  async copyFrom(sql: string, data: string): Promise<number> {
    const conn = this.context.getStore();
    if (!conn) throw new Error('COPY runs inside a transaction');
    const stream = conn.query(copyFromStdin(sql));
    stream.end(data);
    await finished(stream);
    return stream.rowCount;
  }

  inTransaction(): boolean {
    return this.context.getStore() !== undefined;
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return fn();
    const conn = await this.pool.connect();
    let broken = false;
    try {
      await conn.query('BEGIN');
      const out = await this.context.run(conn, fn);
      await conn.query('COMMIT');
      return out;
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      conn.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private query(sql: string, params: SqlParams | undefined): Promise<pg.QueryResult> {
    let n = this.numbered.get(sql);
    if (!n) {
      n = { ...numberPlaceholders(sql), name: `q${this.numbered.size + 1}` };
      this.numbered.set(sql, n);
    }
    const conn = this.context.getStore() ?? this.pool;
    return conn.query({ name: n.name, text: n.text, values: valuesFor(n.order, params) });
  }
}
