import type Database from 'better-sqlite3';
import type { StoredCrewMember } from '../../db/schema/issuing.js';
import type { SyncAppend } from '../feed/sqlite-change-log.js';
import { withTransaction } from '../feed/transaction.js';
import type { PassView } from './model.js';

/** The stored pass, as the service reasons about it. */
export type PassRecord = PassView;
export type PassEventAction = 'create' | 'amend' | 'extend' | 'suspend' | 'reinstate' | 'revoke';

export interface PassEvent {
  version: number;
  action: PassEventAction;
  reason: string | null;
  at: number;
  by: string;
}

export type PassSort = 'id' | 'plate' | 'validTo' | 'updatedAt';

export interface PassQuery {
  plate?: string;
  citizenId?: string;
  /** part of a plate, a company, a crew member's name, or a citizen id (whole or its start) */
  text?: string;
  status?: PassRecord['status'];
  province?: number;
  /** only passes with a fixed end before this time (and not yet ended at `expiringFrom`) */
  expiringBefore?: number;
  expiringFrom?: number;
  before?: number;
  sort?: PassSort;
  order?: 'asc' | 'desc';
  offset?: number;
  limit: number;
}

/** Sortable columns: an allow-list, never the caller's text in SQL. */
const SORT_COLUMN: Record<PassSort, string> = { id: 'id', plate: 'plate', validTo: 'coalesce(valid_to, 9e15)', updatedAt: 'updated_at' };

/**
 * Data access for passes. Every write stores the pass's feed item and appends it to the change
 * log in one transaction; `transaction` lets the service group several writes (an import) atomically.
 */
export interface PassRepository {
  transaction<T>(fn: () => T): T;
  /** Insert with a fresh id: `build(id)` returns the record to store (it needs the id to sign the code). */
  insert(build: (passId: number) => PassRecord, itemOf: (p: PassRecord) => string): PassRecord;
  update(p: PassRecord, itemOf: (p: PassRecord) => string): void;
  get(passId: number): PassRecord | null;
  search(q: PassQuery): { items: PassRecord[]; total: number };
  addEvent(e: { passId: number; version: number; action: PassEventAction; reason: string | null; at: number; by: string; detail?: Record<string, unknown> }): void;
  events(passId: number): PassEvent[];
}

interface Row {
  id: number; version: number; status: PassRecord['status']; status_reason: string | null; plate: string; company: string | null;
  goods: number; crew: string; origin_zone: string; destination_zone: string; route_checkpoints: string; route_provinces: string;
  permitted_stops: string | null; valid_from: number; valid_to: number | null; direction: PassRecord['direction'];
  max_stay_hours: number; issuing_province: number; issued_at: number; code: string; created_at: number; created_by: string;
  updated_at: number; updated_by: string;
}

const COLUMNS = `id, version, status, status_reason, plate, company, goods, crew, origin_zone, destination_zone, route_checkpoints,
  route_provinces, permitted_stops, valid_from, valid_to, direction, max_stay_hours, issuing_province, issued_at, code,
  created_at, created_by, updated_at, updated_by`;

function fromRow(r: Row): PassRecord {
  return {
    passId: r.id, version: r.version, status: r.status, statusReason: r.status_reason, plate: r.plate, company: r.company,
    goods: r.goods, crew: JSON.parse(r.crew) as StoredCrewMember[], originZone: r.origin_zone, destinationZone: r.destination_zone,
    routeCheckpoints: JSON.parse(r.route_checkpoints) as number[], routeProvinces: JSON.parse(r.route_provinces) as number[],
    permittedStops: r.permitted_stops, validFrom: r.valid_from, validTo: r.valid_to, direction: r.direction,
    maxStayHours: r.max_stay_hours, issuingProvince: r.issuing_province, issuedAt: r.issued_at, code: r.code,
    createdAt: r.created_at, createdBy: r.created_by, updatedAt: r.updated_at, updatedBy: r.updated_by,
  };
}

function params(p: PassRecord, item: string, seq: number) {
  return {
    id: p.passId, version: p.version, status: p.status, status_reason: p.statusReason, plate: p.plate, company: p.company,
    goods: p.goods, crew: JSON.stringify(p.crew), origin_zone: p.originZone, destination_zone: p.destinationZone,
    route_checkpoints: JSON.stringify(p.routeCheckpoints), route_provinces: JSON.stringify(p.routeProvinces),
    permitted_stops: p.permittedStops, valid_from: p.validFrom, valid_to: p.validTo, direction: p.direction,
    max_stay_hours: p.maxStayHours, issuing_province: p.issuingProvince, issued_at: p.issuedAt, code: p.code,
    created_at: p.createdAt, created_by: p.createdBy, updated_at: p.updatedAt, updated_by: p.updatedBy, item, change_seq: seq,
  };
}

export class SqlitePassRepository implements PassRepository {
  private readonly nextId: Database.Statement<[], { seq: number }>;
  private readonly insertStmt: Database.Statement;
  private readonly updateStmt: Database.Statement;
  private readonly getStmt: Database.Statement<[number], Row>;
  private readonly clearCrew: Database.Statement<[number]>;
  private readonly addCrew: Database.Statement<[number, string]>;
  private readonly eventStmt: Database.Statement;
  private readonly eventsStmt: Database.Statement<[number], PassEvent>;

  constructor(private readonly db: Database.Database, private readonly changes: SyncAppend) {
    this.nextId = db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'passes'), 0) + 1 AS seq");
    const names = `${COLUMNS}, item, change_seq`.split(',').map((c) => c.trim());
    this.insertStmt = db.prepare(`INSERT INTO passes (${names.join(', ')}) VALUES (${names.map((n) => '@' + n).join(', ')})`);
    this.updateStmt = db.prepare(`UPDATE passes SET ${names.filter((n) => n !== 'id').map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`);
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM passes WHERE id = ?`);
    this.clearCrew = db.prepare('DELETE FROM pass_crew WHERE pass_id = ?');
    this.addCrew = db.prepare('INSERT OR IGNORE INTO pass_crew (pass_id, citizen_id) VALUES (?, ?)');
    this.eventStmt = db.prepare(
      'INSERT INTO pass_events (pass_id, version, action, reason, at, by, detail) VALUES (@passId, @version, @action, @reason, @at, @by, @detail)',
    );
    this.eventsStmt = db.prepare('SELECT version, action, reason, at, by FROM pass_events WHERE pass_id = ? ORDER BY id');
  }

  events(passId: number): PassEvent[] {
    return this.eventsStmt.all(passId);
  }

  transaction<T>(fn: () => T): T {
    return withTransaction(this.db, fn);
  }

  insert(build: (passId: number) => PassRecord, itemOf: (p: PassRecord) => string): PassRecord {
    return this.transaction(() => {
      // Inside the write transaction no other writer can take this id first.
      const p = build(this.nextId.get()!.seq);
      const item = itemOf(p);
      const seq = this.changes.appendSync('pass', String(p.passId), item, p.updatedAt);
      this.insertStmt.run(params(p, item, seq));
      for (const c of p.crew) this.addCrew.run(p.passId, c.citizenId);
      return p;
    });
  }

  update(p: PassRecord, itemOf: (p: PassRecord) => string): void {
    this.transaction(() => {
      const item = itemOf(p);
      const seq = this.changes.appendSync('pass', String(p.passId), item, p.updatedAt);
      if (this.updateStmt.run(params(p, item, seq)).changes !== 1) throw new Error(`pass ${p.passId} vanished during update`);
      this.clearCrew.run(p.passId);
      for (const c of p.crew) this.addCrew.run(p.passId, c.citizenId);
    });
  }

  get(passId: number): PassRecord | null {
    const r = this.getStmt.get(passId);
    return r ? fromRow(r) : null;
  }

  search(q: PassQuery): { items: PassRecord[]; total: number } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const compact = (t: string) => t.toUpperCase().replace(/[^0-9A-Z]/g, '');
    // part of a plate, with or without its punctuation: "61H12661", "126.61" and "61h-126" all find 61H-126.61
    if (q.plate !== undefined) (where.push("replace(replace(plate, '-', ''), '.', '') LIKE ?"), args.push(`%${compact(q.plate)}%`));
    if (q.citizenId !== undefined) (where.push('id IN (SELECT pass_id FROM pass_crew WHERE citizen_id = ?)'), args.push(q.citizenId));
    if (q.text !== undefined && q.text.trim() !== '') {
      const t = q.text.trim();
      const like = `%${t.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      const parts = ["company LIKE ? ESCAPE '\\'", "crew LIKE ? ESCAPE '\\'"];
      args.push(like, like);
      if (compact(t) !== '') (parts.push("replace(replace(plate, '-', ''), '.', '') LIKE ?"), args.push(`%${compact(t)}%`));
      if (/^\d{3,12}$/.test(t)) (parts.push('id IN (SELECT pass_id FROM pass_crew WHERE citizen_id LIKE ?)'), args.push(`${t}%`));
      where.push(`(${parts.join(' OR ')})`);
    }
    if (q.status !== undefined) (where.push('status = ?'), args.push(q.status));
    if (q.province !== undefined) (where.push('issuing_province = ?'), args.push(q.province));
    if (q.expiringBefore !== undefined) (where.push('valid_to IS NOT NULL AND valid_to <= ? AND valid_to > ?'), args.push(q.expiringBefore, q.expiringFrom ?? 0));
    if (q.before !== undefined) (where.push('id < ?'), args.push(q.before));
    const whereSql = where.length ? 'WHERE ' + where.join(' AND ') : '';
    const total = this.db.prepare<(string | number)[], { n: number }>(`SELECT count(*) AS n FROM passes ${whereSql}`).get(...args)!.n;
    const order = q.order === 'asc' ? 'ASC' : 'DESC';
    const sql = `SELECT ${COLUMNS} FROM passes ${whereSql} ORDER BY ${SORT_COLUMN[q.sort ?? 'id']} ${order}, id ${order} LIMIT ? OFFSET ?`;
    const items = this.db.prepare<(string | number)[], Row>(sql).all(...args, q.limit, q.offset ?? 0).map(fromRow);
    return { items, total };
  }

  addEvent(e: { passId: number; version: number; action: PassEventAction; reason: string | null; at: number; by: string; detail?: Record<string, unknown> }): void {
    this.eventStmt.run({ ...e, detail: e.detail ? JSON.stringify(e.detail) : null });
  }
}
