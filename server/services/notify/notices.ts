import type Database from 'better-sqlite3';
import { formatVnDateTime } from '../../../shared/time/vietnam-time.js';

/**
 * What people away from the screen must hear about: an F0 or F1 turned back at a checkpoint, a cloned
 * pass, a broken journal chain (or another station alert), a station gone silent. Read from what the
 * server already stores (journal, station alerts, heartbeats) after a cursor, so nothing in ingest has
 * to know about notifications. Citizen ids are masked: the notice says what happened and where; the
 * command center looks the person up (access-logged) when it acts.
 */
export type NoticeKind = 'F0_F1_TURNED_BACK' | 'CLONE' | 'CHAIN_BREAK' | 'SEQ_CONFLICT' | 'INVALID_RECORD' | 'STATION_SILENT' | 'DAILY_REPORT';

export interface Notice {
  /** stable across retries: the receiver can drop a repeat */
  key: string;
  kind: NoticeKind;
  at: number;
  province: number;
  stationId: string | null;
  checkpointId: number | null;
  messageVi: string;
  message: string;
}

export interface NoticeCursor {
  journalRowid: number;
  alertId: number;
}

const KIND_VI: Record<Exclude<NoticeKind, 'F0_F1_TURNED_BACK' | 'STATION_SILENT' | 'DAILY_REPORT'>, string> = {
  CLONE: 'Nghi mã giấy phép bị sao chép', CHAIN_BREAK: 'Chuỗi nhật ký của trạm bị đứt', SEQ_CONFLICT: 'Trạm gửi bản ghi trùng số thứ tự khác nội dung',
  INVALID_RECORD: 'Trạm gửi bản ghi không hợp lệ',
};

export const maskId = (id: string): string => `${'•'.repeat(Math.max(0, id.length - 4))}${id.slice(-4)}`;

export class NoticeSource {
  private readonly turnedBack: Database.Statement<[number, number], { rowid: number; at: number; stationId: string; checkpointId: number; province: number; citizenId: string | null; status: string | null; seq: number }>;
  private readonly alerts: Database.Statement<[number, number], { id: number; kind: keyof typeof KIND_VI; at: number; stationId: string | null; checkpointId: number | null; province: number; message: string }>;
  private readonly silent: Database.Statement<[number], { stationId: string; checkpointId: number; province: number; lastHeartbeatAt: number; name: string }>;
  private readonly heads: Database.Statement<[], { journalRowid: number | null; alertId: number | null }>;
  /** stations already announced silent, by their last heartbeat: one notice per silence */
  private readonly announcedSilent = new Map<string, number>();

  constructor(db: Database.Database) {
    // a person's scan refused for being F0/F1 (or a positive test): the scan record, not the crossing's, so once per person
    this.turnedBack = db.prepare(`SELECT j.rowid AS rowid, j.at, j.station_id AS stationId, j.checkpoint_id AS checkpointId, s.province, j.citizen_id AS citizenId,
        p.status, j.seq
      FROM journal j JOIN stations s ON s.station_id = j.station_id LEFT JOIN people p ON p.citizen_id = j.citizen_id
      WHERE j.rowid > ? AND j.kind = 'scan' AND j.verdict = 'DENY' AND (',' || j.reasons || ',') LIKE '%,POSITIVE_OR_CONTACT,%'
      ORDER BY j.rowid LIMIT ?`);
    this.alerts = db.prepare(`SELECT a.id, a.kind, a.created_at AS at, a.station_id AS stationId, s.checkpoint_id AS checkpointId, s.province, a.message
      FROM station_alerts a JOIN stations s ON s.station_id = a.station_id WHERE a.id > ? ORDER BY a.id LIMIT ?`);
    this.silent = db.prepare(`SELECT station_id AS stationId, checkpoint_id AS checkpointId, province, last_heartbeat_at AS lastHeartbeatAt, name
      FROM stations WHERE last_heartbeat_at IS NOT NULL AND last_heartbeat_at < ?`);
    this.heads = db.prepare('SELECT (SELECT max(rowid) FROM journal) AS journalRowid, (SELECT max(id) FROM station_alerts) AS alertId');
  }

  /** Where "new" starts: what is stored now is old news when the server starts. */
  head(): NoticeCursor {
    const h = this.heads.get()!;
    return { journalRowid: h.journalRowid ?? 0, alertId: h.alertId ?? 0 };
  }

  /** Notices after the cursor, and the cursor after them. */
  since(cursor: NoticeCursor, now: number, staleMs: number, limit = 500): { notices: Notice[]; cursor: NoticeCursor } {
    const notices: Notice[] = [];
    const next = { ...cursor };
    for (const r of this.turnedBack.all(cursor.journalRowid, limit)) {
      next.journalRowid = r.rowid;
      const who = r.citizenId ? maskId(r.citizenId) : '?';
      const status = r.status === 'F0' || r.status === 'F1' ? r.status : 'F0/F1';
      notices.push({
        key: `turned-back:${r.stationId}:${r.seq}`, kind: 'F0_F1_TURNED_BACK', at: r.at, province: r.province, stationId: r.stationId, checkpointId: r.checkpointId,
        messageVi: `Chốt ${r.checkpointId}: KHÔNG CHO QUA người ${status} (CCCD ${who}) lúc ${formatVnDateTime(r.at)}`,
        message: `Checkpoint ${r.checkpointId}: ${status} person (ID ${who}) turned back at ${formatVnDateTime(r.at)} Vietnam time`,
      });
    }
    for (const a of this.alerts.all(cursor.alertId, limit)) {
      next.alertId = a.id;
      notices.push({
        key: `alert:${a.id}`, kind: a.kind, at: a.at, province: a.province, stationId: a.stationId, checkpointId: a.checkpointId,
        messageVi: `${a.checkpointId !== null ? `Chốt ${a.checkpointId}: ` : ''}${KIND_VI[a.kind] ?? a.kind} lúc ${formatVnDateTime(a.at)}`, message: a.message,
      });
    }
    for (const s of this.silent.all(now - staleMs)) {
      if (this.announcedSilent.get(s.stationId) === s.lastHeartbeatAt) continue;
      this.announcedSilent.set(s.stationId, s.lastHeartbeatAt);
      notices.push({
        key: `silent:${s.stationId}:${s.lastHeartbeatAt}`, kind: 'STATION_SILENT', at: now, province: s.province, stationId: s.stationId, checkpointId: s.checkpointId,
        messageVi: `Chốt ${s.checkpointId} (${s.name}): trạm không còn liên lạc từ ${formatVnDateTime(s.lastHeartbeatAt)}`,
        message: `Checkpoint ${s.checkpointId} (${s.name}): station silent since ${formatVnDateTime(s.lastHeartbeatAt)} Vietnam time`,
      });
    }
    notices.sort((a, b) => a.at - b.at);
    return { notices, cursor: next };
  }
}
