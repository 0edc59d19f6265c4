import pg from 'pg';
import { inject } from 'vitest';

export const SERVER_TEMPLATE_DATABASE = 'server_template';

let made = 0;

/**
 * When the server suite runs on PostgreSQL (the `server-on-postgres` project of
 * vitest.postgres.config.ts), a fresh database copied from the migrated template, as the URL a test
 * app is given in DATABASE_URL; otherwise null (the app opens SQLite, as in `npm test`).
 */
export async function freshServerDatabaseUrl(): Promise<string | null> {
  const admin = inject('pgServerAdminUrl');
  if (!admin) return null;
  const name = `t_${process.pid}_${++made}_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${SERVER_TEMPLATE_DATABASE}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}
