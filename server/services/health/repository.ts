import type Database from 'better-sqlite3';
import type { PersonFacts } from '../../../shared/contracts/feed.js';
import type { StoredTest } from '../../db/schema/health.js';
import type { SyncAppend } from '../feed/sqlite-change-log.js';
import { withTransaction } from '../feed/transaction.js';

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
  transaction<T>(fn: () => T): T;
  get(citizenId: string): PersonRecord | null;
  save(p: PersonRecord): void;
  remove(citizenId: string, at: number): boolean;
  /** `text`: part of a name or a phone number */
  list(q: { after?: string; status?: PersonRecord['status']; text?: string; limit: number }): PersonRecord[];
  /** Write down one change with who made it and why (in the caller's transaction). */
  recordChange(c: HealthChange): void;
  /** A person's changes, newest first. */
  changesOf(citizenId: string, limit: number): HealthChange[];
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
const fromRow = (r: Row): PersonRecord => ({
  citizenId: r.citizen_id, name: r.name, phone: r.phone, declaredAt: r.declared_at, originZone: r.origin_zone,
  test: r.test === null ? null : (JSON.parse(r.test) as StoredTest), doses: r.doses, status: r.status, statusAsOf: r.status_as_of,
  updatedAt: r.updated_at, updatedBy: r.updated_by,
});

export class SqlitePersonRepository implements PersonRepository {
  private readonly getStmt: Database.Statement<[string], Row>;
  private readonly upsert: Database.Statement;
  private readonly del: Database.Statement<[string]>;

  constructor(private readonly db: Database.Database, private readonly changes: SyncAppend) {
    this.getStmt = db.prepare(`SELECT ${COLS} FROM people WHERE citizen_id = ?`);
    this.upsert = db.prepare(`INSERT INTO people (${COLS}, item, change_seq)
      VALUES (@citizenId, @name, @phone, @declaredAt, @originZone, @test, @doses, @status, @statusAsOf, @updatedAt, @updatedBy, @item, @seq)
      ON CONFLICT(citizen_id) DO UPDATE SET name = excluded.name, phone = excluded.phone, declared_at = excluded.declared_at,
        origin_zone = excluded.origin_zone, test = excluded.test, doses = excluded.doses, status = excluded.status,
        status_as_of = excluded.status_as_of, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
        item = excluded.item, change_seq = excluded.change_seq`);
    this.del = db.prepare('DELETE FROM people WHERE citizen_id = ?');
    this.insertChange = db.prepare('INSERT INTO health_changes (at, citizen_id, kind, change, by_user, reason) VALUES (@at, @citizenId, @kind, @change, @byUser, @reason)');
    this.changesStmt = db.prepare('SELECT at, citizen_id AS citizenId, kind, change, by_user AS byUser, reason FROM health_changes WHERE citizen_id = ? ORDER BY at DESC, id DESC LIMIT ?');
    this.delChanges = db.prepare('DELETE FROM health_changes WHERE citizen_id = ?');
  }

  private readonly insertChange: Database.Statement;
  private readonly changesStmt: Database.Statement<[string, number], Omit<HealthChange, 'change'> & { change: string }>;
  private readonly delChanges: Database.Statement<[string]>;

  recordChange(c: HealthChange): void {
    this.insertChange.run({ ...c, change: JSON.stringify(c.change) });
  }

  changesOf(citizenId: string, limit: number): HealthChange[] {
    return this.changesStmt.all(citizenId, limit).map((r) => ({ ...r, change: JSON.parse(r.change) as Record<string, unknown> }));
  }

  transaction<T>(fn: () => T): T {
    return withTransaction(this.db, fn);
  }

  get(citizenId: string): PersonRecord | null {
    const r = this.getStmt.get(citizenId);
    return r ? fromRow(r) : null;
  }

  save(p: PersonRecord): void {
    this.transaction(() => {
      const item = JSON.stringify(personFacts(p));
      const seq = this.changes.appendSync('person', p.citizenId, item, p.updatedAt);
      this.upsert.run({ ...p, test: p.test === null ? null : JSON.stringify(p.test), item, seq });
    });
  }

  remove(citizenId: string, at: number): boolean {
    return this.transaction(() => {
      if (!this.getStmt.get(citizenId)) return false;
      // The change first: the feed reads the row as it was (was the person on the flag list?).
      this.changes.appendSync('person', citizenId, JSON.stringify({ type: 'delete', entity: 'person', key: citizenId }), at);
      this.del.run(citizenId);
      this.delChanges.run(citizenId);
      return true;
    });
  }

  list(q: { after?: string; status?: PersonRecord['status']; text?: string; limit: number }): PersonRecord[] {
    const where = ['citizen_id > ?'];
    const args: (string | number)[] = [q.after ?? ''];
    if (q.status) (where.push('status = ?'), args.push(q.status));
    if (q.text?.trim()) {
      const t = q.text.trim();
      const digits = t.replace(/[^0-9]/g, '');
      where.push(`(name LIKE ? ESCAPE '\\'${digits.length >= 3 ? " OR replace(replace(replace(coalesce(phone, ''), ' ', ''), '.', ''), '-', '') LIKE ?" : ''})`);
      args.push(`%${t.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
      if (digits.length >= 3) args.push(`%${digits}%`);
    }
    return this.db.prepare<(string | number)[], Row>(`SELECT ${COLS} FROM people WHERE ${where.join(' AND ')} ORDER BY citizen_id LIMIT ?`)
      .all(...args, q.limit).map(fromRow);
  }
}
