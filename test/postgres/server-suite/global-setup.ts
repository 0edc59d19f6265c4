import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPgServerDatabase } from '../../../server/db/pg/database.js';
import { createDatabaseSql, startThrowawayCluster, type PgCluster } from '../../support/pg-cluster.js';
import { SERVER_TEMPLATE_DATABASE } from './server-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the server suite on PostgreSQL: an admin URL of the cluster holding the migrated template */
    pgServerAdminUrl: string;
  }
}

/**
 * The server's tests on PostgreSQL (`npm run test:postgres`): one throwaway cluster for the run
 * (or the one TEST_DATABASE_URL names), and a database `server_template` with the PostgreSQL
 * migrations applied. Each test app then gets its own copy (CREATE DATABASE … TEMPLATE), which is
 * much faster than migrating each one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let cluster: PgCluster | undefined;
  let admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    cluster = await startThrowawayCluster({ settings: { max_connections: 400 } });
    admin = cluster.url;
  }
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${SERVER_TEMPLATE_DATABASE}`);
    await client.query(createDatabaseSql(SERVER_TEMPLATE_DATABASE));
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${SERVER_TEMPLATE_DATABASE}`;
  const template = await openPgServerDatabase(url.toString(), { max: 1 });
  await template.close();
  project.provide('pgServerAdminUrl', admin);
  return async () => {
    await cluster?.stop();
  };
}
