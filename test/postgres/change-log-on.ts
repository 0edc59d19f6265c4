import type { SqlClient } from '../../server/db/sql-client.js';
import type { ChangeAppender } from '../../server/services/passes/repository.js';

/** The change log's append on a client (until the feed's SQL change log lands on main). */
export function changeLogOn(client: SqlClient): ChangeAppender {
  return {
    append: async (entity, key, item, at) =>
      (await client.get<{ seq: number }>('INSERT INTO changes (entity, key, item, at) VALUES (?, ?, ?, ?) RETURNING seq', [entity, key, item, at]))!.seq,
  };
}
