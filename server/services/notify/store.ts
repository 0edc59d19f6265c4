import type { SqlClient } from '../../db/sql-client.js';
import { lockForCommitOrder, NOTICES_LOCK } from '../../db/advisory-locks.js';
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
  /**
   * Up to the last `limit` notices after seq `after`, oldest first, and the highest seq kept (the reader's next
   * `after`). Kept notices are numbered in commit order (on PostgreSQL under an advisory lock, SQLite has one
   * writer), so a reader that asks again after `last` never misses one that committed late.
   */
  list(after: number, limit: number): Promise<{ items: StoredNotice[]; last: number }>;
}

const COLS = 'seq, key, kind, at, province, station_id AS "stationId", checkpoint_id AS "checkpointId", message_vi AS "messageVi", message';

export function noticeStore(client: SqlClient): NoticeStore {
  return {
    cursor: async () =>
      (await client.get<NoticeCursor>('SELECT journal_rowid AS "journalRowid", alert_id AS "alertId" FROM notice_cursor WHERE id = 1')) ?? null,
    add: (notices, cursor) => client.transaction(async () => {
      // every instance keeps notices: one at a time, so seqs commit in order
      if (client.dialect === 'postgres' && notices.length > 0) await lockForCommitOrder(client, NOTICES_LOCK);
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
    async list(after, limit) {
      // the highest seq first, then what lies up to it: a notice committed in between waits for the next read
      const last = (await client.get<{ last: number | null }>('SELECT max(seq) AS last FROM notices'))?.last ?? 0;
      const items = await client.all<StoredNotice>(`SELECT ${COLS} FROM (SELECT * FROM notices WHERE seq > @after AND seq <= @last ORDER BY seq DESC LIMIT @limit) latest
        ORDER BY seq`, { after, last, limit });
      return { items, last };
    },
  };
}
