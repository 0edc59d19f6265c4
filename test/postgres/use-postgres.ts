import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createDatabaseSql, startThrowawayCluster, type PgCluster } from '../support/pg-cluster.js';

/**
 * A fresh database for one test file: on the cluster named by TEST_DATABASE_URL when set (CI may
 * start one), otherwise on a throwaway cluster this file starts and removes.
 */
export function usePostgres(name: string): { url(): string } {
  let cluster: PgCluster | undefined;
  let url = '';
  beforeAll(async () => {
    const given = process.env.TEST_DATABASE_URL;
    let admin: string;
    let urlFor: (db: string) => string;
    if (given) {
      admin = given;
      urlFor = (db) => {
        const u = new URL(given);
        u.pathname = `/${db}`;
        return u.toString();
      };
    } else {
      cluster = await startThrowawayCluster();
      admin = cluster.url;
      urlFor = cluster.urlFor;
    }
    const dbName = `t_${name}_${process.pid}_${Date.now().toString(36)}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(createDatabaseSql(dbName));
    } finally {
      await client.end();
    }
    url = urlFor(dbName);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  return { url: () => url };
}
