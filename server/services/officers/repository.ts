import type { SqlClient } from '../../db/sql-client.js';

export interface OfficerRecord {
  id: number;
  province: number;
  officerId: string;
  name: string;
  pinHash: string;
  disabled: boolean;
  rev: number;
  updatedAt: number;
  updatedBy: number;
}

/** Checkpoint officers by province. Every write takes the province's next `rev` in the same transaction. */
export interface OfficerRepository {
  list(province: number): Promise<OfficerRecord[]>;
  find(province: number, officerId: string): Promise<OfficerRecord | null>;
  /** the province's highest revision (0: no officers yet) */
  revision(province: number): Promise<number>;
  /** whether anything in the province changed after `rev` */
  changedSince(province: number, rev: number): Promise<boolean>;
  upsert(r: Omit<OfficerRecord, 'id' | 'rev'>): Promise<OfficerRecord>;
}

const COLS = `id, province, officer_id AS "officerId", name, pin_hash AS "pinHash", disabled, rev, updated_at AS "updatedAt", updated_by AS "updatedBy"`;
type Row = Omit<OfficerRecord, 'disabled'> & { disabled: number | boolean };
const toRecord = (r: Row): OfficerRecord => ({ ...r, disabled: Boolean(r.disabled) });

/**
 * Revisions are handed out one province at a time, in commit order: a station that has seen revision
 * N asks for `rev > N`, so a revision N+1 committed after N+2 was served would be skipped for good.
 * SQLite's one writer (BEGIN IMMEDIATE) gives that order; on PostgreSQL several server instances write
 * at once, so the transaction first takes the province's advisory lock, held until it commits.
 */
export function sqlOfficerRepository(db: SqlClient): OfficerRepository {
  const find = async (province: number, officerId: string) => {
    const row = await db.get<Row>(`SELECT ${COLS} FROM checkpoint_officers WHERE province = ? AND officer_id = ?`, [province, officerId]);
    return row ? toRecord(row) : null;
  };
  const revision = async (province: number) =>
    (await db.get<{ rev: number | null }>('SELECT max(rev) AS rev FROM checkpoint_officers WHERE province = ?', [province]))?.rev ?? 0;
  return {
    list: async (province) =>
      (await db.all<Row>(`SELECT ${COLS} FROM checkpoint_officers WHERE province = ? ORDER BY officer_id`, [province])).map(toRecord),
    find,
    revision,
    changedSince: async (province, rev) =>
      (await db.get('SELECT id FROM checkpoint_officers WHERE province = ? AND rev > ? LIMIT 1', [province, rev])) !== undefined,
    upsert: (r) => db.transaction(async () => {
      if (db.dialect === 'postgres') await db.get("SELECT pg_advisory_xact_lock(hashtext('checkpoint_officers'), ?)", [r.province]);
      const rev = (await revision(r.province)) + 1;
      await db.run(
        `INSERT INTO checkpoint_officers (province, officer_id, name, pin_hash, disabled, rev, updated_at, updated_by)
         VALUES (@province, @officerId, @name, @pinHash, @disabled, @rev, @updatedAt, @updatedBy)
         ON CONFLICT (province, officer_id) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash,
           disabled = excluded.disabled, rev = excluded.rev, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        { ...r, disabled: r.disabled ? 1 : 0, rev },
      );
      return (await find(r.province, r.officerId))!;
    }),
  };
}
