import type { StoredCrewMember } from '../../db/schema/issuing.js';
import type { SqlClient } from '../../db/sql-client.js';
import type { ChangeLog } from '../feed/change-log.js';
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
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Insert with a fresh id: `build(id)` returns the record to store (it needs the id to sign the code).
   * The id is drawn from the passes' sequence inside this transaction, so two server instances issuing
   * at once never sign two codes with one id.
   */
  insert(build: (passId: number) => PassRecord, itemOf: (p: PassRecord) => string): Promise<PassRecord>;
  update(p: PassRecord, itemOf: (p: PassRecord) => string): Promise<void>;
  get(passId: number): Promise<PassRecord | null>;
  /** The pass, its row locked until the calling transaction ends (a read-modify-write by another instance waits). */
  getForUpdate(passId: number): Promise<PassRecord | null>;
  search(q: PassQuery): Promise<{ items: PassRecord[]; total: number }>;
  addEvent(e: { passId: number; version: number; action: PassEventAction; reason: string | null; at: number; by: string; detail?: Record<string, unknown> }): Promise<void>;
  events(passId: number): Promise<PassEvent[]>;
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

// PostgreSQL keeps crew as jsonb, which gives objects back with their keys reordered: rebuilt in one
// order, so a record reads the same from either engine (and compares equal to what was written).
const crewOf = (json: string): StoredCrewMember[] =>
  (JSON.parse(json) as StoredCrewMember[]).map((c) => ({ citizenId: c.citizenId, name: c.name, phone: c.phone, role: c.role }));

function fromRow(r: Row): PassRecord {
  return {
    passId: r.id, version: r.version, status: r.status, statusReason: r.status_reason, plate: r.plate, company: r.company,
    goods: r.goods, crew: crewOf(r.crew), originZone: r.origin_zone, destinationZone: r.destination_zone,
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

const NAMES = `${COLUMNS}, item, change_seq`.split(',').map((c) => c.trim());

/**
 * How a pass id is drawn, inside the transaction that inserts the pass (the code is signed with the
 * id, so the id must be known before the row is written):
 * - PostgreSQL: `nextval` of the identity column's sequence. nextval never hands one number out twice,
 *   whichever instance or transaction asks, committed or not (a rolled-back import leaves a gap).
 * - SQLite: the passes' row of `sqlite_sequence` (the AUTOINCREMENT counter) is advanced and read in
 *   one statement. The write transaction holds SQLite's only write lock from BEGIN IMMEDIATE to
 *   COMMIT, so no other connection draws between; the insert with that explicit id leaves the
 *   counter where it is. The counter's row appears with the first pass, so the very first draw
 *   creates it (from the highest id, should passes have been written without it).
 */
const DRAW_ID = {
  postgres: ["SELECT nextval(pg_get_serial_sequence('passes', 'id')) AS id"],
  sqlite: [
    "UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'passes' RETURNING seq AS id",
    "INSERT INTO sqlite_sequence (name, seq) SELECT 'passes', coalesce(max(id), 0) + 1 FROM passes RETURNING seq AS id",
  ],
} as const;

const SQL = {
  insert: `INSERT INTO passes (${NAMES.join(', ')}) VALUES (${NAMES.map((n) => '@' + n).join(', ')})`,
  update: `UPDATE passes SET ${NAMES.filter((n) => n !== 'id').map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`,
  get: `SELECT ${COLUMNS} FROM passes WHERE id = ?`,
  clearCrew: 'DELETE FROM pass_crew WHERE pass_id = ?',
  addCrew: 'INSERT INTO pass_crew (pass_id, citizen_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  addEvent: 'INSERT INTO pass_events (pass_id, version, action, reason, at, "by", detail) VALUES (@passId, @version, @action, @reason, @at, @by, @detail)',
  events: 'SELECT version, action, reason, at, "by" FROM pass_events WHERE pass_id = ? ORDER BY id',
} as const;

/** Passes on either engine (portable SQL; only the id draw and the row lock differ by dialect). */
export class SqlPassRepository implements PassRepository {
  constructor(private readonly client: SqlClient, private readonly changes: Pick<ChangeLog, 'append'>) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.client.transaction(fn);
  }

  async events(passId: number): Promise<PassEvent[]> {
    return this.client.all<PassEvent>(SQL.events, [passId]);
  }

  insert(build: (passId: number) => PassRecord, itemOf: (p: PassRecord) => string): Promise<PassRecord> {
    return this.transaction(async () => {
      const p = build(await this.drawId());
      const item = itemOf(p);
      // The change first: the change log reads the pass's row as it was (change-log.ts).
      const seq = await this.changes.append('pass', String(p.passId), item, p.updatedAt);
      await this.client.run(SQL.insert, params(p, item, seq));
      for (const c of p.crew) await this.client.run(SQL.addCrew, [p.passId, c.citizenId]);
      return p;
    });
  }

  update(p: PassRecord, itemOf: (p: PassRecord) => string): Promise<void> {
    return this.transaction(async () => {
      const item = itemOf(p);
      const seq = await this.changes.append('pass', String(p.passId), item, p.updatedAt);
      if ((await this.client.run(SQL.update, params(p, item, seq))).changes !== 1) throw new Error(`pass ${p.passId} vanished during update`);
      await this.client.run(SQL.clearCrew, [p.passId]);
      for (const c of p.crew) await this.client.run(SQL.addCrew, [p.passId, c.citizenId]);
    });
  }

  async get(passId: number): Promise<PassRecord | null> {
    const r = await this.client.get<Row>(SQL.get, [passId]);
    return r ? fromRow(r) : null;
  }

  async getForUpdate(passId: number): Promise<PassRecord | null> {
    if (!this.client.inTransaction()) throw new Error('getForUpdate must run inside a transaction');
    // SQLite has no row locks and needs none: its write transaction already excludes every other writer.
    const r = await this.client.get<Row>(this.client.dialect === 'postgres' ? `${SQL.get} FOR UPDATE` : SQL.get, [passId]);
    return r ? fromRow(r) : null;
  }

  async search(q: PassQuery): Promise<{ items: PassRecord[]; total: number }> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const compact = (t: string) => t.toUpperCase().replace(/[^0-9A-Z]/g, '');
    // part of a plate, with or without its punctuation: "61H12661", "126.61" and "61h-126" all find 61H-126.61
    if (q.plate !== undefined) (where.push("replace(replace(plate, '-', ''), '.', '') LIKE ?"), args.push(`%${compact(q.plate)}%`));
    if (q.citizenId !== undefined) (where.push('id IN (SELECT pass_id FROM pass_crew WHERE citizen_id = ?)'), args.push(q.citizenId));
    if (q.text !== undefined && q.text.trim() !== '') {
      const t = q.text.trim();
      const like = `%${t.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      // lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not
      const parts = ["lower(company) LIKE lower(?) ESCAPE '\\'", "lower(CAST(crew AS text)) LIKE lower(?) ESCAPE '\\'"];
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
    const total = (await this.client.get<{ n: number }>(`SELECT count(*) AS n FROM passes ${whereSql}`, args))!.n;
    const order = q.order === 'asc' ? 'ASC' : 'DESC';
    const sql = `SELECT ${COLUMNS} FROM passes ${whereSql} ORDER BY ${SORT_COLUMN[q.sort ?? 'id']} ${order}, id ${order} LIMIT ? OFFSET ?`;
    const items = (await this.client.all<Row>(sql, [...args, q.limit, q.offset ?? 0])).map(fromRow);
    return { items, total };
  }

  async addEvent(e: { passId: number; version: number; action: PassEventAction; reason: string | null; at: number; by: string; detail?: Record<string, unknown> }): Promise<void> {
    await this.client.run(SQL.addEvent, { passId: e.passId, version: e.version, action: e.action, reason: e.reason, at: e.at, by: e.by, detail: e.detail ? JSON.stringify(e.detail) : null });
  }

  private async drawId(): Promise<number> {
    for (const sql of DRAW_ID[this.client.dialect]) {
      const row = await this.client.get<{ id: number }>(sql);
      if (row) return row.id;
    }
    throw new Error('no pass id could be drawn');
  }
}
