import type { SqliteHandle } from '../../db/database.js';

export interface RetentionRepository {
  /** clear the personal fields of up to `limit` journal rows older than `cutoff`; returns how many */
  clearJournalChunk(cutoff: number, now: number, limit: number): number;
  /** delete conflicting and invalid copies received before `cutoff` */
  deleteKeptCopies(cutoff: number): number;
  deleteExpiredSessions(now: number): number;
}

export function sqliteRetentionRepository(sqlite: SqliteHandle): RetentionRepository {
  const clear = sqlite.prepare(
    `UPDATE journal SET plate = NULL, citizen_id = NULL, pass_id = NULL, pass_version = NULL, payload_hash = NULL,
       crossing_id = NULL, scanner_id = NULL, officer = NULL, note = NULL, purged_at = @now
     WHERE rowid IN (SELECT rowid FROM journal WHERE at < @cutoff AND purged_at IS NULL LIMIT @limit)`,
  );
  const conflicts = sqlite.prepare('DELETE FROM journal_conflicts WHERE received_at < ?');
  const rejects = sqlite.prepare('DELETE FROM journal_rejects WHERE received_at < ?');
  const sessions = sqlite.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  return {
    clearJournalChunk: (cutoff, now, limit) => clear.run({ cutoff, now, limit }).changes,
    deleteKeptCopies: (cutoff) => conflicts.run(cutoff).changes + rejects.run(cutoff).changes,
    deleteExpiredSessions: (now) => sessions.run(now).changes,
  };
}
