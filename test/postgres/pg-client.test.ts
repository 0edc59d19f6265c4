import { describe, it } from 'vitest';
import { PgClient } from '../../server/db/pg-client.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { describeSqlClient } from '../server/db/sql-client-contract.js';
import { usePostgres } from './use-postgres.js';

const unavailable = pgUnavailableReason();

if (unavailable) {
  describe.skip(`SqlClient on PostgreSQL (skipped: ${unavailable})`, () => it('needs PostgreSQL', () => undefined));
} else {
  const pg = usePostgres('sqlclient');
  describeSqlClient(
    'PostgreSQL',
    async () => {
      const client = PgClient.connect(pg.url(), { max: 4 });
      await client.exec('DROP TABLE IF EXISTS things; DROP TABLE IF EXISTS log;');
      return client;
    },
    `CREATE TABLE things (id integer PRIMARY KEY, at bigint NOT NULL, flag boolean NOT NULL, doc jsonb NOT NULL, label text NOT NULL);
     CREATE TABLE log (seq bigserial PRIMARY KEY, note text NOT NULL);`,
  );
}
