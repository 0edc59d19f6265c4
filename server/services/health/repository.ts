import type { PersonFacts } from '../../../shared/contracts/feed.js';
import type { StoredTest } from '../../db/schema/health.js';
import type { SqlClient } from '../../db/sql-client.js';
import type { ChangeLog } from '../feed/change-log.js';
import { FEED_LOCK, lockForCommitOrder } from '../../db/advisory-locks.js';

export interface PersonRecord {
  citizenId: string;
  name: string;
  phone: string | null;
  declaredAt: number | null;
  originZone: string | null;
  test: StoredTest | null;
  doses: number;
  status: 'NONE' | 'F0' | 'F1';
  /** when the status was last set; 0 when the health authority never flagged this person */
  statusAsOf: number;
  updatedAt: number;
  updatedBy: string;
}

export function personFacts(p: PersonRecord): PersonFacts {
  return {
    type: 'person', citizenId: p.citizenId, name: p.name, declaredAt: p.declaredAt, originZone: p.originZone,
    test: p.test, doses: p.doses, status: p.status, statusAsOf: p.statusAsOf,
  };
}

/** People's health facts. `save` and `remove` append to the change log in the same transaction. */
export interface PersonRepository {
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  get(citizenId: string): Promise<PersonRecord | null>;
  save(p: PersonRecord): Promise<void>;
  remove(citizenId: string, at: number): Promise<boolean>;
  /** `text`: part of a name or a phone number */
  list(q: { after?: string; status?: PersonRecord['status']; text?: string; limit: number }): Promise<PersonRecord[]>;
  /** Write down one change with who made it and why (in the caller's transaction). */
  recordChange(c: HealthChange): Promise<void>;
  /** A person's changes, newest first. */
  changesOf(citizenId: string, limit: number): Promise<HealthChange[]>;
}

export interface HealthChange {
  at: number;
  citizenId: string;
  kind: 'declaration' | 'test' | 'flag' | 'edit';
  /** the facts this change set */
  change: Record<string, unknown>;
  byUser: string;
  reason: string;
}

type Row = {
  citizen_id: string; name: string; phone: string | null; declared_at: number | null; origin_zone: string | null; test: string | null;
  doses: number; status: PersonRecord['status']; status_as_of: number; updated_at: number; updated_by: string;
};
const COLS = 'citizen_id, name, phone, declared_at, origin_zone, test, doses, status, status_as_of, updated_at, updated_by';

// PostgreSQL keeps the test as jsonb, which reorders an object's keys: rebuilt in one order, so a record
// reads the same from either engine (an unchanged import row then compares equal and changes nothing).
function testOf(json: string | null): StoredTest | null {
  if (json === null) return null;
  const t = JSON.parse(json) as StoredTest;
  return { type: t.type, result: t.result, sampledAt: t.sampledAt };
}

const fromRow = (r: Row): PersonRecord => ({
  citizenId: r.citizen_id, name: r.name, phone: r.phone, declaredAt: r.declared_at, originZone: r.origin_zone,
  test: testOf(r.test), doses: r.doses, status: r.status, statusAsOf: r.status_as_of,
  updatedAt: r.updated_at, updatedBy: r.updated_by,
});

const SQL = {
  get: `SELECT ${COLS} FROM people WHERE citizen_id = ?`,
  upsert: `INSERT INTO people (${COLS}, item, change_seq)
    VALUES (@citizenId, @name, @phone, @declaredAt, @originZone, @test, @doses, @status, @statusAsOf, @updatedAt, @updatedBy, @item, @seq)
    ON CONFLICT (citizen_id) DO UPDATE SET name = excluded.name, phone = excluded.phone, declared_at = excluded.declared_at,
      origin_zone = excluded.origin_zone, test = excluded.test, doses = excluded.doses, status = excluded.status,
      status_as_of = excluded.status_as_of, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
      item = excluded.item, change_seq = excluded.change_seq`,
  del: 'DELETE FROM people WHERE citizen_id = ?',
  insertChange: 'INSERT INTO health_changes (at, citizen_id, kind, change, by_user, reason) VALUES (@at, @citizenId, @kind, @change, @byUser, @reason)',
  changes: 'SELECT at, citizen_id AS "citizenId", kind, change, by_user AS "byUser", reason FROM health_changes WHERE citizen_id = ? ORDER BY at DESC, id DESC LIMIT ?',
  delChanges: 'DELETE FROM health_changes WHERE citizen_id = ?',
} as const;

/** People on either engine (portable SQL). */
export class SqlPersonRepository implements PersonRepository {
  constructor(private readonly client: SqlClient, private readonly changes: Pick<ChangeLog, 'append'>) {}

  async recordChange(c: HealthChange): Promise<void> {
    await this.client.run(SQL.insertChange, { at: c.at, citizenId: c.citizenId, kind: c.kind, change: JSON.stringify(c.change), byUser: c.byUser, reason: c.reason });
  }

  async changesOf(citizenId: string, limit: number): Promise<HealthChange[]> {
    const rows = await this.client.all<Omit<HealthChange, 'change'> & { change: string }>(SQL.changes, [citizenId, limit]);
    return rows.map((r) => ({ ...r, change: JSON.parse(r.change) as Record<string, unknown> }));
  }

  /**
   * A write transaction. On PostgreSQL it first takes the change log's commit-order lock (which every
   * save takes anyway when it appends), so what the service reads about a person before changing
   * them is what the last committed writer, on any instance, left: two imports touching one person
   * at once apply one after the other instead of one overwriting the other's facts.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.client.inTransaction() || this.client.dialect !== 'postgres') return this.client.transaction(fn);
    return this.client.transaction(async () => {
      await lockForCommitOrder(this.client, FEED_LOCK);
      return fn();
    });
  }

  async get(citizenId: string): Promise<PersonRecord | null> {
    const r = await this.client.get<Row>(SQL.get, [citizenId]);
    return r ? fromRow(r) : null;
  }

  save(p: PersonRecord): Promise<void> {
    return this.transaction(async () => {
      const item = JSON.stringify(personFacts(p));
      // The change first: the change log reads the person's row as it was (change-log.ts).
      const seq = await this.changes.append('person', p.citizenId, item, p.updatedAt);
      await this.client.run(SQL.upsert, {
        citizenId: p.citizenId, name: p.name, phone: p.phone, declaredAt: p.declaredAt, originZone: p.originZone,
        test: p.test === null ? null : JSON.stringify(p.test), doses: p.doses, status: p.status, statusAsOf: p.statusAsOf,
        updatedAt: p.updatedAt, updatedBy: p.updatedBy, item, seq,
      });
    });
  }

  remove(citizenId: string, at: number): Promise<boolean> {
    return this.transaction(async () => {
      if (!(await this.client.get(SQL.get, [citizenId]))) return false;
      // The change first: the feed reads the row as it was (was the person on the flag list?).
      await this.changes.append('person', citizenId, JSON.stringify({ type: 'delete', entity: 'person', key: citizenId }), at);
      await this.client.run(SQL.del, [citizenId]);
      await this.client.run(SQL.delChanges, [citizenId]);
      return true;
    });
  }

  async list(q: { after?: string; status?: PersonRecord['status']; text?: string; limit: number }): Promise<PersonRecord[]> {
    const where = ['citizen_id > ?'];
    const args: (string | number)[] = [q.after ?? ''];
    if (q.status) (where.push('status = ?'), args.push(q.status));
    if (q.text?.trim()) {
      const t = q.text.trim();
      const digits = t.replace(/[^0-9]/g, '');
      // lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not
      where.push(`(lower(name) LIKE lower(?) ESCAPE '\\'${digits.length >= 3 ? " OR replace(replace(replace(coalesce(phone, ''), ' ', ''), '.', ''), '-', '') LIKE ?" : ''})`);
      args.push(`%${t.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
      if (digits.length >= 3) args.push(`%${digits}%`);
    }
    const rows = await this.client.all<Row>(`SELECT ${COLS} FROM people WHERE ${where.join(' AND ')} ORDER BY citizen_id LIMIT ?`, [...args, q.limit]);
    return rows.map(fromRow);
  }
}
