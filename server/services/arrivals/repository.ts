import type { ScopeFilter } from '../../auth/scope.js';
import type { SqlClient, SqlValue } from '../../db/sql-client.js';
import type { StoredTest } from '../../db/schema/health.js';

export const OUTCOMES = ['monitored', 'not-found'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One person's current declaration of where they are going. */
export interface Declaration {
  citizenId: string;
  name: string;
  phone: string | null;
  originZone: string;
  province: number;
  district: string;
  commune: string;
  address: string;
  declaredAt: number;
}

/** A declaration whose person the journal saw entering the declared province, with what the commune needs. */
export interface ArrivalRow extends Declaration {
  id: number;
  originLevel: number;
  enteredAt: number;
  stationId: string;
  checkpointId: number;
  checkpointName: string | null;
  test: StoredTest | null;
  healthStatus: 'NONE' | 'F0' | 'F1' | null;
  outcome: Outcome | null;
  outcomeNote: string | null;
  outcomeBy: string | null;
  outcomeAt: number | null;
}

export interface CommuneCount {
  province: number;
  district: string;
  commune: string;
  arrivals: number;
  unconfirmed: number;
  /** unconfirmed and entered before the cut-off (N hours ago) */
  overdue: number;
}

/**
 * Which arrivals a query is about: the reader's area, the monitored zone levels of the province's
 * policy, the window of declarations, and how far an entry may be from its declaration.
 */
export interface ArrivalQuery {
  scope: ScopeFilter & { province: number };
  levels: readonly number[];
  declaredSince: number;
  /** an entry counts for a declaration from `declaredAt - before` to `declaredAt + after` */
  before: number;
  after: number;
}

interface RawArrival extends Omit<ArrivalRow, 'test' | 'outcome'> {
  test: string | null;
  outcome: string | null;
}

const DECL_COLS = `d.id, d.citizen_id AS "citizenId", d.name, d.phone, d.origin_zone AS "originZone", d.province, d.district, d.commune,
  d.address, d.declared_at AS "declaredAt", d.outcome, d.outcome_note AS "outcomeNote", d.outcome_by AS "outcomeBy", d.outcome_at AS "outcomeAt"`;

/**
 * The query-time join behind the arrival lists (portable SQL, both engines). It starts from the
 * declarations of the reader's area (few, indexed by place) and reaches the journal through its
 * citizen index, never by scanning the province's journal: an entry is a journal record of the
 * declared province, direction entry, naming the person, not refused (a DENY scan the officer then
 * let through has an override record that is not DENY). The first such entry in the declaration's
 * window is the arrival; the zone level is the origin district's, else its province's.
 */
function arrivalsSql(q: ArrivalQuery): { sql: string; params: Record<string, SqlValue> } {
  const params: Record<string, SqlValue> = { province: q.scope.province, since: q.declaredSince, before: q.before, after: q.after };
  let place = 'd2.province = @province';
  if (q.scope.district !== null) {
    place += ' AND d2.district = @district';
    params.district = q.scope.district;
  }
  if (q.scope.commune !== null) {
    place += ' AND d2.commune = @commune';
    params.commune = q.scope.commune;
  }
  const levels = q.levels.map((l, i) => {
    params[`level${i}`] = l;
    return `@level${i}`;
  });
  const sql = `
    WITH first_entry AS (
      SELECT d2.id AS decl_id, MIN(j.at) AS entered_at
      FROM arrival_declarations d2
      JOIN journal j ON j.citizen_id = d2.citizen_id AND j.province = d2.province AND j.direction = 'entry' AND j.verdict <> 'DENY'
        AND j.at >= d2.declared_at - @before AND j.at <= d2.declared_at + @after
      WHERE ${place} AND d2.declared_at >= @since
      GROUP BY d2.id
    ), arrival AS (
      SELECT ${DECL_COLS}, e.entered_at AS "enteredAt", COALESCE(zd.level, zp.level) AS "originLevel"
      FROM arrival_declarations d
      JOIN first_entry e ON e.decl_id = d.id
      LEFT JOIN zones zd ON zd.zone = d.origin_zone
      LEFT JOIN zones zp ON zp.zone = substr(d.origin_zone, 1, 2)
      WHERE COALESCE(zd.level, zp.level) IN (${levels.length > 0 ? levels.join(', ') : 'NULL'})
    )`;
  return { sql, params };
}

export class ArrivalsRepository {
  constructor(private readonly client: SqlClient) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.client.transaction(fn);
  }

  /**
   * Keep the newer declaration: a strictly newer one replaces the stored one and clears its follow-up
   * (it is a new trip, or a corrected destination); the same or an older one changes nothing, so a
   * file imported twice is harmless. True when something was written.
   */
  async upsert(d: Declaration, at: number, by: string): Promise<boolean> {
    const r = await this.client.run(
      `INSERT INTO arrival_declarations (citizen_id, name, phone, origin_zone, province, district, commune, address, declared_at, recorded_at, recorded_by)
       VALUES (@citizenId, @name, @phone, @originZone, @province, @district, @commune, @address, @declaredAt, @at, @by)
       ON CONFLICT (citizen_id) DO UPDATE SET name = excluded.name, phone = excluded.phone, origin_zone = excluded.origin_zone,
         province = excluded.province, district = excluded.district, commune = excluded.commune, address = excluded.address,
         declared_at = excluded.declared_at, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by,
         outcome = NULL, outcome_note = NULL, outcome_by = NULL, outcome_at = NULL
       WHERE excluded.declared_at > arrival_declarations.declared_at`,
      { ...d, at, by },
    );
    return r.changes > 0;
  }

  async declarationOf(citizenId: string): Promise<(Declaration & { id: number }) | null> {
    const row = await this.client.get<Declaration & { id: number }>(
      `SELECT id, citizen_id AS "citizenId", name, phone, origin_zone AS "originZone", province, district, commune, address, declared_at AS "declaredAt"
       FROM arrival_declarations WHERE citizen_id = ?`, [citizenId]);
    return row ?? null;
  }

  /** Arrivals in the area, newest entry first, with the entry's checkpoint and the person's latest test. */
  async list(q: ArrivalQuery, only: 'unconfirmed' | 'all', limit: number, id?: number): Promise<ArrivalRow[]> {
    const { sql, params } = arrivalsSql(q);
    const where = [only === 'unconfirmed' ? 'a.outcome IS NULL' : '1 = 1'];
    if (id !== undefined) {
      where.push('a.id = @id');
      params.id = id;
    }
    // The entry's record is found again by (person, province, time): a person-only crossing has its scan
    // and its crossing record at the same instant, so one arrival may come back twice; kept once below.
    const rows = await this.client.all<RawArrival>(`${sql}
      SELECT a.*, j.station_id AS "stationId", j.checkpoint_id AS "checkpointId", s.name AS "checkpointName",
        p.test, p.status AS "healthStatus"
      FROM arrival a
      JOIN journal j ON j.citizen_id = a."citizenId" AND j.province = a.province AND j.at = a."enteredAt" AND j.direction = 'entry' AND j.verdict <> 'DENY'
      LEFT JOIN stations s ON s.station_id = j.station_id
      LEFT JOIN people p ON p.citizen_id = a."citizenId"
      WHERE ${where.join(' AND ')}
      ORDER BY a."enteredAt" DESC, a.id DESC
      LIMIT @limit`, { ...params, limit: limit * 2 });
    const seen = new Set<number>();
    const out: ArrivalRow[] = [];
    for (const r of rows) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push({ ...r, test: r.test === null ? null : (JSON.parse(r.test) as StoredTest), outcome: r.outcome as Outcome | null });
      if (out.length === limit) break;
    }
    return out;
  }

  /** Per commune of the area: arrivals, those not yet followed up, and those among them that entered before `overdueBefore`. */
  async countByCommune(q: ArrivalQuery, overdueBefore: number): Promise<CommuneCount[]> {
    const { sql, params } = arrivalsSql(q);
    return this.client.all<CommuneCount>(`${sql}
      SELECT province, district, commune, COUNT(*) AS arrivals,
        SUM(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END) AS unconfirmed,
        SUM(CASE WHEN outcome IS NULL AND "enteredAt" <= @overdueBefore THEN 1 ELSE 0 END) AS overdue
      FROM arrival GROUP BY province, district, commune ORDER BY district, commune`, { ...params, overdueBefore });
  }

  /** Record the follow-up on the row and in the history; false when the declaration is gone or was replaced. */
  async setOutcome(id: number, citizenId: string, outcome: Outcome, note: string | null, by: string, at: number): Promise<boolean> {
    const r = await this.client.run(
      'UPDATE arrival_declarations SET outcome = @outcome, outcome_note = @note, outcome_by = @by, outcome_at = @at WHERE id = @id AND citizen_id = @citizenId',
      { id, citizenId, outcome, note, by, at });
    if (r.changes === 0) return false;
    await this.client.run(
      'INSERT INTO arrival_outcomes (declaration_id, citizen_id, outcome, note, by_user, at) VALUES (@id, @citizenId, @outcome, @note, @by, @at)',
      { id, citizenId, outcome, note, by, at });
    return true;
  }
}
