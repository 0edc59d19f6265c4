import type { ScopeFilter } from '../../auth/scope.js';
import type { SqlClient, SqlValue } from '../../db/sql-client.js';

export interface AccessLogEntry {
  id: number;
  at: number;
  userId: number | null;
  username: string;
  role: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  method: string;
  url: string;
  ip: string | null;
}

export interface AccessLogQuery {
  userId?: number | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  offset: number;
}

export interface AccessLogRepository {
  insert(e: Omit<AccessLogEntry, 'id'>): Promise<void>;
  /** several inserts as one (a call inside a caller's transaction joins it) */
  transaction(fn: () => Promise<void>): Promise<void>;
  /**
   * Entries by the users whose area lies inside the reader's (a national reader: everyone), and, for
   * readers of a whole province or more, key-management acts by operators.
   */
  list(f: ScopeFilter, q: AccessLogQuery): Promise<{ items: AccessLogEntry[]; total: number }>;
}

const INSERT = `INSERT INTO access_log (at, user_id, username, role, action, subject_type, subject_id, method, url, ip)
  VALUES (@at, @userId, @username, @role, @action, @subjectType, @subjectId, @method, @url, @ip)`;
const COLS = `id, at, user_id AS "userId", username, role, action, subject_type AS "subjectType", subject_id AS "subjectId", method, url, ip`;

/** The access log in portable SQL (server/db/sql-client.ts). */
export function sqlAccessLogRepository(db: SqlClient): AccessLogRepository {
  return {
    insert: async (e) => void await db.run(INSERT, e),
    transaction: (fn) => db.transaction(fn),
    async list(f, q) {
      const where: string[] = [];
      const params: Record<string, SqlValue> = { limit: q.limit, offset: q.offset };
      if (f.province !== null) {
        // national users have a home province but are not inside it
        const users = ["province = @scopeProvince AND scope_level <> 'national'"];
        params.scopeProvince = f.province;
        if (f.district !== null) { users.push('district = @scopeDistrict'); params.scopeDistrict = f.district; }
        if (f.commune !== null) { users.push('commune = @scopeCommune'); params.scopeCommune = f.commune; }
        // Key-management acts from the command line carry no user; the province's admins see them.
        const keys = f.district === null ? " OR (user_id IS NULL AND subject_type = 'signing-key')" : '';
        where.push(`(user_id IN (SELECT id FROM users WHERE ${users.join(' AND ')})${keys})`);
      }
      if (q.userId !== undefined) { where.push('user_id = @userId'); params.userId = q.userId; }
      if (q.subjectType !== undefined) { where.push('subject_type = @subjectType'); params.subjectType = q.subjectType; }
      if (q.subjectId !== undefined) { where.push('subject_id = @subjectId'); params.subjectId = q.subjectId; }
      if (q.from !== undefined) { where.push('at >= @from'); params.from = q.from; }
      if (q.to !== undefined) { where.push('at < @to'); params.to = q.to; }
      const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const items = await db.all<AccessLogEntry>(`SELECT ${COLS} FROM access_log ${w} ORDER BY id DESC LIMIT @limit OFFSET @offset`, params);
      const { limit: _l, offset: _o, ...countParams } = params;
      const counted = await db.get<{ n: number }>(`SELECT count(*) AS n FROM access_log ${w}`, countParams);
      return { items, total: counted?.n ?? 0 };
    },
  };
}
