import { writeFileSync } from 'node:fs';
import pg from 'pg';

/**
 * `--profile` on PostgreSQL: where the database's time goes, by statement. The cluster is started with
 * pg_stat_statements preloaded (`PROFILE_SETTINGS`); `reset` before the measured window, `report`
 * after it writes the statements by total execution time, with calls and transactions, to a JSON file
 * beside the CPU profiles (calls per request type are read against the bench's request counts).
 */
export const PROFILE_SETTINGS = {
  shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all', 'pg_stat_statements.track_planning': 'on',
} as const;

export async function resetStatements(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await c.query('SELECT pg_stat_statements_reset()');
    await c.query('SELECT pg_stat_reset()');
  } finally {
    await c.end();
  }
}

export async function reportStatements(url: string, file: string, top = 30): Promise<{ calls: number; commits: number; execMs: number; planMs: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // plan_ms: time spent planning (each run, unless PostgreSQL keeps the statement's generic plan)
    // blocks and WAL a call: what a statement reads and writes, whatever the machine's speed that hour
    const rows = (await c.query<{ calls: string; total_ms: number; plan_ms: number; mean_ms: number; rows: string; blocks_per_call: number; wal_bytes_per_call: number; query: string }>(
      `SELECT calls, round(total_exec_time::numeric, 1)::float8 AS total_ms, round(total_plan_time::numeric, 1)::float8 AS plan_ms,
              round(mean_exec_time::numeric, 4)::float8 AS mean_ms, rows,
              round((shared_blks_hit + shared_blks_read)::numeric / greatest(calls, 1), 1)::float8 AS blocks_per_call,
              round(wal_bytes / greatest(calls, 1), 0)::float8 AS wal_bytes_per_call,
              left(regexp_replace(query, '\\s+', ' ', 'g'), 240) AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       ORDER BY total_exec_time + total_plan_time DESC`,
    )).rows;
    const db = (await c.query<{ xact_commit: string; xact_rollback: string }>('SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()')).rows[0]!;
    const calls = rows.reduce((n, r) => n + Number(r.calls), 0);
    const execMs = rows.reduce((n, r) => n + r.total_ms, 0);
    const planMs = rows.reduce((n, r) => n + r.plan_ms, 0);
    // tables rewritten in place all the time (a station's row at each heartbeat and acknowledgement)
    const tables = (await c.query<{ relname: string; live: string; dead: string; pages: number; updates: string; hotUpdates: string; autovacuums: string }>(
      `SELECT relname, n_live_tup AS live, n_dead_tup AS dead, pg_relation_size(relid)::float8 / 8192 AS pages,
              n_tup_upd AS updates, n_tup_hot_upd AS "hotUpdates", autovacuum_count AS autovacuums
       FROM pg_stat_user_tables WHERE relname IN ('stations', 'heartbeat_minutes', 'changes') ORDER BY relname`,
    )).rows;
    const out = { calls, execMs, planMs, tables, commits: Number(db.xact_commit), rollbacks: Number(db.xact_rollback), statements: rows.slice(0, top).map((r) => ({ ...r, calls: Number(r.calls), rows: Number(r.rows) })) };
    writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
    return { calls, commits: out.commits, execMs, planMs };
  } finally {
    await c.end();
  }
}

/**
 * What PostgreSQL's backends of `url`'s database are doing, sampled every `everyMs` until `stop()`:
 * counts by state and wait event (Lock/advisory: a station's batches queued on its ingest lock;
 * IO/WALSync: the commit's fsync; Client/ClientRead: a transaction open while the server computes).
 */
export function sampleWaits(url: string, everyMs = 100): { stop(): Promise<Record<string, number>> } {
  const c = new pg.Client({ connectionString: url });
  const counts: Record<string, number> = {};
  let running = true;
  const loop = (async () => {
    await c.connect();
    while (running) {
      const rows = (await c.query<{ what: string; n: number }>(
        `SELECT coalesce(state, '?') || ' ' || coalesce(wait_event_type || '/' || wait_event, 'cpu') AS what, count(*)::int AS n
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' GROUP BY 1`,
      )).rows;
      for (const r of rows) counts[r.what] = (counts[r.what] ?? 0) + r.n;
      await new Promise((r) => setTimeout(r, everyMs));
    }
    await c.end();
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return counts;
    },
  };
}
