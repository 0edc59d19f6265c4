import { PERSONAL_COLUMNS } from '../../../shared/journal-record/fields.js';
import type { SqlClient } from '../../db/sql-client.js';

export interface RetentionRepository {
  /** clear the personal fields of up to `limit` journal rows older than `cutoff`; returns how many */
  clearJournalChunk(cutoff: number, now: number, limit: number): Promise<number>;
  /** delete conflicting and invalid copies received before `cutoff` */
  deleteKeptCopies(cutoff: number): Promise<number>;
  deleteExpiredSessions(now: number): Promise<number>;
}

export function sqlRetentionRepository(client: SqlClient): RetentionRepository {
  // a chunk picked by SQLite's rowid (its cheapest handle on a row), by the primary key on PostgreSQL
  const chunk = client.dialect === 'sqlite'
    ? 'rowid IN (SELECT rowid FROM journal WHERE at < @cutoff AND purged_at IS NULL LIMIT @limit)'
    : '(station_id, seq) IN (SELECT station_id, seq FROM journal WHERE at < @cutoff AND purged_at IS NULL LIMIT @limit)';
  // the same personal columns the station clears (shared/journal-record/fields.ts)
  const clear = `UPDATE journal SET ${PERSONAL_COLUMNS.map((c) => `${c} = NULL`).join(', ')}, purged_at = @now WHERE ${chunk}`;
  return {
    clearJournalChunk: async (cutoff, now, limit) => (await client.run(clear, { cutoff, now, limit })).changes,
    deleteKeptCopies: async (cutoff) =>
      (await client.run('DELETE FROM journal_conflicts WHERE received_at < ?', [cutoff])).changes +
      (await client.run('DELETE FROM journal_rejects WHERE received_at < ?', [cutoff])).changes,
    deleteExpiredSessions: async (now) => (await client.run('DELETE FROM sessions WHERE expires_at <= ?', [now])).changes,
  };
}
