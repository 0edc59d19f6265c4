import { openServerDatabase } from '../../../server/db/database.js';
import { describeOperationalRecordsPruner } from './operational-records-contract.js';

describeOperationalRecordsPruner('SQLite', async () => {
  const db = openServerDatabase(':memory:');
  return { client: db.client, close: async () => db.close() };
});
