import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema/index.js';
import { PgClient } from '../pg-client.js';

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
 * Open the server's PostgreSQL database (`DATABASE_URL=postgres://…`) and apply its migrations.
 * Concurrent instances starting together are safe: drizzle's migrator runs in one transaction and
 * records applied migrations in drizzle.__drizzle_migrations.
 */
export async function openPgServerDatabase(url: string, options: { max?: number } = {}): Promise<PgServerDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  const db = drizzle(pool, { schema });
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  } catch (err) {
    await pool.end();
    throw err;
  }
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
