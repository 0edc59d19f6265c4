import type { SqlClient } from '../../db/sql-client.js';

/**
 * The tables that grow with time beside the journal, pruned by the retention sweep:
 * - `heartbeat_minutes`: one row per station per minute heard (about 2.9M a day for 2,000 stations);
 *   the daily report's uptime reads it. Deleted per station through its key (station, minute), so a
 *   sweep reads only what it deletes.
 * - `notices` (they name people turned back) and `health_changes` (a person's health history) hold
 *   personal data. Their keys grow with time as their `at` does, so each is walked oldest first by key
 *   in chunks and a chunk's rows older than the cutoff are deleted; the walk stops at the first chunk
 *   with nothing to delete, so a sweep reads little more than it deletes. A row whose `at` is out of
 *   order with its key (a clock set back) is deleted when the walk reaches it on a later sweep.
 */
export interface OperationalRecordsPruner {
  /** delete what is older than `cutoff`; returns how many rows of each table went */
  prune(cutoff: number, chunk: number): Promise<{ heartbeatMinutes: number; notices: number; healthChanges: number }>;
}

export function sqlOperationalRecordsPruner(client: SqlClient): OperationalRecordsPruner {
  const walk = async (table: string, key: string, cutoff: number, chunk: number): Promise<number> => {
    let deleted = 0;
    let after = 0;
    for (;;) {
      const rows = await client.all<{ key: number; at: number }>(
        `SELECT ${key} AS key, at FROM ${table} WHERE ${key} > ? ORDER BY ${key} LIMIT ?`, [after, chunk],
      );
      if (rows.length === 0) return deleted;
      const last = rows[rows.length - 1]!.key;
      if (!rows.some((r) => r.at < cutoff)) return deleted;
      deleted += (await client.run(`DELETE FROM ${table} WHERE ${key} > ? AND ${key} <= ? AND at < ?`, [after, last, cutoff])).changes;
      after = last;
    }
  };
  return {
    async prune(cutoff, chunk) {
      let heartbeatMinutes = 0;
      for (const { id } of await client.all<{ id: string }>('SELECT station_id AS id FROM stations ORDER BY station_id')) {
        heartbeatMinutes += (await client.run('DELETE FROM heartbeat_minutes WHERE station_id = ? AND minute < ?', [id, cutoff])).changes;
      }
      return {
        heartbeatMinutes,
        notices: await walk('notices', 'seq', cutoff, chunk),
        healthChanges: await walk('health_changes', 'id', cutoff, chunk),
      };
    },
  };
}
