import type { SqlClient } from '../../db/sql-client.js';
import type { Notice, NoticeCursor } from './notices.js';

export type StoredNotice = Notice & { seq: number };

/** Notices and the source's cursor, kept in the server's database so a restart keeps both. */
export interface NoticeStore {
  cursor(): Promise<NoticeCursor | null>;
  /**
   * Keep new notices (a key already kept, by this instance or another, is skipped) and move the cursor, in one
   * transaction; answers the kept ones with their seq.
   */
  add(notices: readonly Notice[], cursor: NoticeCursor | null): Promise<StoredNotice[]>;
  /** The last `limit` notices, oldest first. */
  recent(limit: number): Promise<StoredNotice[]>;
}

const COLS = 'seq, key, kind, at, province, station_id AS "stationId", checkpoint_id AS "checkpointId", message_vi AS "messageVi", message';

export function noticeStore(client: SqlClient): NoticeStore {
  return {
    cursor: async () =>
      (await client.get<NoticeCursor>('SELECT journal_rowid AS "journalRowid", alert_id AS "alertId" FROM notice_cursor WHERE id = 1')) ?? null,
    add: (notices, cursor) => client.transaction(async () => {
      const kept: StoredNotice[] = [];
      for (const n of notices) {
        // RETURNING answers nothing when the key was kept already
        const row = await client.get<{ seq: number }>(`INSERT INTO notices (key, kind, at, province, station_id, checkpoint_id, message_vi, message)
          VALUES (@key, @kind, @at, @province, @stationId, @checkpointId, @messageVi, @message) ON CONFLICT (key) DO NOTHING RETURNING seq`,
        { key: n.key, kind: n.kind, at: n.at, province: n.province, stationId: n.stationId, checkpointId: n.checkpointId, messageVi: n.messageVi, message: n.message });
        if (row) kept.push({ ...n, seq: row.seq });
      }
      if (cursor) {
        await client.run(`INSERT INTO notice_cursor (id, journal_rowid, alert_id) VALUES (1, @journalRowid, @alertId)
          ON CONFLICT (id) DO UPDATE SET journal_rowid = excluded.journal_rowid, alert_id = excluded.alert_id`, { journalRowid: cursor.journalRowid, alertId: cursor.alertId });
      }
      return kept;
    }),
    recent: (limit) => client.all<StoredNotice>(`SELECT ${COLS} FROM (SELECT * FROM notices ORDER BY seq DESC LIMIT ?) latest ORDER BY seq`, [limit]),
  };
}
