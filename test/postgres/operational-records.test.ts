import { describe, it } from 'vitest';
import { openPgServerDatabase } from '../../server/db/pg/database.js';
import { describeOperationalRecordsPruner } from '../server/retention/operational-records-contract.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { usePostgres } from './use-postgres.js';

const unavailable = pgUnavailableReason();

if (unavailable) {
  describe.skip(`operational records pruning on PostgreSQL (skipped: ${unavailable})`, () => it('needs PostgreSQL', () => undefined));
} else {
  const pg = usePostgres('operational_records');
  describeOperationalRecordsPruner('PostgreSQL', async () => {
    const db = await openPgServerDatabase(pg.url(), { max: 2 });
    return { client: db.client, close: () => db.close() };
  });
}
