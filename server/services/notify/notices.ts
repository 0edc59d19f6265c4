import type { SqlClient } from '../../db/sql-client.js';
import type { Place } from '../../auth/scope.js';
import { reasonListHas, reasonNeedle } from '../audit/sql-dialect.js';
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

/**
 * Where the source stopped. SQLite: the journal's rowid and the alerts' id (one writer, so numbers are in
 * commit order). PostgreSQL: the received time of the last refusal and the raise time of the last alert
 * (see RECEIVED_OVERLAP_MS); the stored columns keep their SQLite names.
 */
export interface NoticeCursor {
  journalRowid: number;
  alertId: number;
}

const KIND_VI: Record<Exclude<NoticeKind, 'F0_F1_TURNED_BACK' | 'STATION_SILENT' | 'DAILY_REPORT'>, string> = {
  CLONE: 'Nghi mã giấy phép bị sao chép', CHAIN_BREAK: 'Chuỗi nhật ký của trạm bị đứt', SEQ_CONFLICT: 'Trạm gửi bản ghi trùng số thứ tự khác nội dung',
  INVALID_RECORD: 'Trạm gửi bản ghi không hợp lệ',
};

export const maskId = (id: string): string => `${'•'.repeat(Math.max(0, id.length - 4))}${id.slice(-4)}`;

type TurnedBackRow = { rowid: number; at: number; stationId: string; checkpointId: number; province: number; citizenId: string | null; status: string | null; seq: number };
type AlertRow = { position: number; id: number; kind: keyof typeof KIND_VI; at: number; stationId: string | null; checkpointId: number | null; province: number; message: string };

/**
 * How far back PostgreSQL's cursors look again. There a cursor is a server time (when a journal record was
 * received, when an alert was raised), not an id: with several instances, or just concurrent transactions, a
 * row can commit after one with a later number, and reading "after the highest number seen" would skip it.
 * Rows within this margin before the cursor are read again; their notices, kept under the same key, are
 * dropped by the store (ON CONFLICT on the key), so each is listed and sent once.
 */
export const RECEIVED_OVERLAP_MS = 120_000;

export class NoticeSource {
  private readonly sql: { turnedBack: string; alerts: string; head: string };
  /** stations already announced silent, by their last heartbeat: one notice per silence */
  private readonly announcedSilent = new Map<string, number>();

  constructor(private readonly client: SqlClient) {
    // A person's scan refused for being F0/F1 (or a positive test): the scan record, not the crossing's, so once per person.
    // SQLite reads after the journal's rowid (one writer: insertion order is commit order); PostgreSQL after the
    // received time less RECEIVED_OVERLAP_MS, through the partial index journal_denied_received_idx.
    const pg = client.dialect === 'postgres';
    const position = pg ? 'j.received_at' : 'j.rowid';
    const alertPosition = pg ? 'a.created_at' : 'a.id';
    this.sql = {
      turnedBack: `SELECT ${position} AS rowid, j.at, j.station_id AS "stationId", j.checkpoint_id AS "checkpointId", s.province, j.citizen_id AS "citizenId",
          p.status, j.seq
        FROM journal j JOIN stations s ON s.station_id = j.station_id LEFT JOIN people p ON p.citizen_id = j.citizen_id
        WHERE ${position} > @after AND j.kind = 'scan' AND j.verdict = 'DENY' AND ${reasonListHas(client.dialect, 'j.reasons', '@reason')}
        ORDER BY ${position}${pg ? ', j.station_id, j.seq' : ''} LIMIT @limit`,
      alerts: `SELECT ${alertPosition} AS position, a.id, a.kind, a.created_at AS at, a.station_id AS "stationId", s.checkpoint_id AS "checkpointId", s.province, a.message
        FROM station_alerts a JOIN stations s ON s.station_id = a.station_id WHERE ${alertPosition} > @after ORDER BY ${alertPosition}${pg ? ', a.id' : ''} LIMIT @limit`,
      // where "new" starts: on PostgreSQL the last time plus the overlap, so the first read starts just after it
      head: pg
        ? `SELECT (SELECT max(received_at) + ${RECEIVED_OVERLAP_MS} FROM journal WHERE kind = 'scan' AND verdict = 'DENY') AS "journalRowid",
             (SELECT max(created_at) + ${RECEIVED_OVERLAP_MS} FROM station_alerts) AS "alertId"`
        : 'SELECT (SELECT max(rowid) FROM journal) AS "journalRowid", (SELECT max(id) FROM station_alerts) AS "alertId"',
    };
  }

  /** Where "new" starts: what is stored now is old news when the server starts. */
  async head(): Promise<NoticeCursor> {
    const h = await this.client.get<{ journalRowid: number | null; alertId: number | null }>(this.sql.head);
    return { journalRowid: h?.journalRowid ?? 0, alertId: h?.alertId ?? 0 };
  }

  /** Where these stations stand (district and commune), for the list's scope check. */
  async stationPlaces(ids: readonly string[]): Promise<Map<string, Place>> {
    const rows = await this.client.all<Place & { stationId: string }>(
      `SELECT station_id AS "stationId", province, district, commune FROM stations WHERE station_id IN (${ids.map(() => '?').join(', ')})`, ids);
    return new Map(rows.map(({ stationId, ...place }) => [stationId, place]));
  }

  /** Notices after the cursor, and the cursor after them. */
  async since(cursor: NoticeCursor, now: number, staleMs: number, limit = 500): Promise<{ notices: Notice[]; cursor: NoticeCursor }> {
    const notices: Notice[] = [];
    const next = { ...cursor };
    const overlap = this.client.dialect === 'postgres' ? RECEIVED_OVERLAP_MS : 0;
    const [turnedBack, alerts, silent] = await Promise.all([
      this.client.all<TurnedBackRow>(this.sql.turnedBack, { after: cursor.journalRowid - overlap, reason: reasonNeedle('POSITIVE_OR_CONTACT'), limit }),
      this.client.all<AlertRow>(this.sql.alerts, { after: cursor.alertId - overlap, limit }),
      this.client.all<{ stationId: string; checkpointId: number; province: number; lastHeartbeatAt: number; name: string }>(
        `SELECT station_id AS "stationId", checkpoint_id AS "checkpointId", province, last_heartbeat_at AS "lastHeartbeatAt", name
         FROM stations WHERE last_heartbeat_at IS NOT NULL AND last_heartbeat_at < ? ORDER BY station_id`, [now - staleMs]),
    ]);
    for (const r of turnedBack) {
      next.journalRowid = Math.max(next.journalRowid, r.rowid);
      const who = r.citizenId ? maskId(r.citizenId) : '?';
      const status = r.status === 'F0' || r.status === 'F1' ? r.status : 'F0/F1';
      notices.push({
        key: `turned-back:${r.stationId}:${r.seq}`, kind: 'F0_F1_TURNED_BACK', at: r.at, province: r.province, stationId: r.stationId, checkpointId: r.checkpointId,
        messageVi: `Chốt ${r.checkpointId}: KHÔNG CHO QUA người ${status} (CCCD ${who}) lúc ${formatVnDateTime(r.at)}`,
        message: `Checkpoint ${r.checkpointId}: ${status} person (ID ${who}) turned back at ${formatVnDateTime(r.at)} Vietnam time`,
      });
    }
    for (const a of alerts) {
      next.alertId = Math.max(next.alertId, a.position);
      notices.push({
        key: `alert:${a.id}`, kind: a.kind, at: a.at, province: a.province, stationId: a.stationId, checkpointId: a.checkpointId,
        messageVi: `${a.checkpointId !== null ? `Chốt ${a.checkpointId}: ` : ''}${KIND_VI[a.kind] ?? a.kind} lúc ${formatVnDateTime(a.at)}`, message: a.message,
      });
    }
    for (const s of silent) {
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
