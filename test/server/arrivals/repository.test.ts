import { openServerDatabase } from '../../../server/db/database.js';
import { describeArrivalsRepository } from './repository-contract.js';

describeArrivalsRepository('SQLite', async () => {
  const db = openServerDatabase(':memory:');
  return { client: db.client, close: async () => db.close() };
});
