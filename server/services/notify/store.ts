import type Database from 'better-sqlite3';
import type { Notice, NoticeCursor } from './notices.js';

export type StoredNotice = Notice & { seq: number };

/** Notices and the source's cursor, kept in the server's database so a restart keeps both. */
export interface NoticeStore {
  cursor(): NoticeCursor | null;
  /** Keep new notices (a key already kept is skipped) and move the cursor, in one transaction; answers the kept ones with their seq. */
  add(notices: readonly Notice[], cursor: NoticeCursor | null): StoredNotice[];
  /** The last `limit` notices, oldest first. */
  recent(limit: number): StoredNotice[];
}

type Row = { seq: number; key: string; kind: Notice['kind']; at: number; province: number; stationId: string | null; checkpointId: number | null; messageVi: string; message: string };
const COLS = 'seq, key, kind, at, province, station_id AS stationId, checkpoint_id AS checkpointId, message_vi AS messageVi, message';

export function sqliteNoticeStore(db: Database.Database): NoticeStore {
  const getCursor = db.prepare<[], { journalRowid: number; alertId: number }>('SELECT journal_rowid AS journalRowid, alert_id AS alertId FROM notice_cursor WHERE id = 1');
  const setCursor = db.prepare('INSERT INTO notice_cursor (id, journal_rowid, alert_id) VALUES (1, @journalRowid, @alertId) ON CONFLICT(id) DO UPDATE SET journal_rowid = excluded.journal_rowid, alert_id = excluded.alert_id');
  const insert = db.prepare(`INSERT INTO notices (key, kind, at, province, station_id, checkpoint_id, message_vi, message)
    VALUES (@key, @kind, @at, @province, @stationId, @checkpointId, @messageVi, @message) ON CONFLICT(key) DO NOTHING`);
  const last = db.prepare<[number], Row>(`SELECT ${COLS} FROM (SELECT * FROM notices ORDER BY seq DESC LIMIT ?) ORDER BY seq`);
  return {
    cursor: () => getCursor.get() ?? null,
    add: (notices, cursor) => db.transaction(() => {
      const kept: StoredNotice[] = [];
      for (const n of notices) {
        const r = insert.run(n);
        if (r.changes === 1) kept.push({ ...n, seq: Number(r.lastInsertRowid) });
      }
      if (cursor) setCursor.run(cursor);
      return kept;
    })(),
    recent: (limit) => last.all(limit),
  };
}
