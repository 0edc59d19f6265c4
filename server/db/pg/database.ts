import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema/index.js';
import { PgClient } from '../pg-client.js';
import { MIGRATION_LOCK, NAMESPACE } from '../advisory-locks.js';

export type PgServerDb = NodePgDatabase<typeof schema>;

export interface PgServerDatabase {
  readonly db: PgServerDb;
  /** the async data-access layer (server/db/sql-client.ts), on its own pool with SQLite-shaped rows */
  readonly client: PgClient;
  close(): Promise<void>;
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

// node-postgres returns int8 as a string by default (it may exceed 2^53). Our bigint columns hold
// millisecond times and sequence numbers, far below 2^53; drizzle's number mode converts them, and
// raw queries get numbers too through this parser (OID 20 = int8).
pg.types.setTypeParser(20, (text) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 ${text} is beyond a safe integer`);
  return n;
});

/**
 * Apply the migrations, one instance at a time. Drizzle's migrator takes no lock: it creates its own
 * schema and table, reads the last migration applied, then applies the rest in one transaction, so two
 * instances starting together on an empty database both try to CREATE the same tables and one fails.
 * A session-level advisory lock on a connection of its own serialises them: the second waits, then
 * finds every migration applied. Ending the connection releases the lock, also after a failure.
 */
async function migrateAlone(url: string): Promise<void> {
  const conn = new pg.Client({ connectionString: url, application_name: 'checkpoint-server-migrate' });
  await conn.connect();
  try {
    await conn.query('SELECT pg_advisory_lock($1::int, $2::int)', [NAMESPACE, MIGRATION_LOCK]);
    await migrate(drizzle(conn, { schema }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await conn.end();
  }
}

/**
 * Open the server's PostgreSQL database (`DATABASE_URL=postgres://…`) and apply its migrations
 * (safe with several instances starting together: see migrateAlone).
 */
export async function openPgServerDatabase(url: string, options: { max?: number } = {}): Promise<PgServerDatabase> {
  await migrateAlone(url);
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  const db = drizzle(pool, { schema });
  const client = PgClient.connect(url, { max: options.max ?? 10 });
  let open = true;
  return {
    db,
    client,
    async close() {
      if (!open) return;
      open = false;
      await Promise.all([pool.end(), client.close()]);
    },
  };
}
