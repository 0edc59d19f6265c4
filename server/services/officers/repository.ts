import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { ServerDb } from '../../db/database.js';
import { checkpointOfficers } from '../../db/schema/index.js';

export type OfficerRecord = typeof checkpointOfficers.$inferSelect;

/** Checkpoint officers by province. Every write takes the province's next `rev` in the same transaction. */
export interface OfficerRepository {
  list(province: number): OfficerRecord[];
  find(province: number, officerId: string): OfficerRecord | null;
  /** the province's highest revision (0: no officers yet) */
  revision(province: number): number;
  /** whether anything in the province changed after `rev` */
  changedSince(province: number, rev: number): boolean;
  upsert(r: Omit<OfficerRecord, 'id' | 'rev'>): OfficerRecord;
}

export function drizzleOfficerRepository(db: ServerDb): OfficerRepository {
  const t = checkpointOfficers;
  const revision = (province: number) =>
    db.select({ rev: sql<number | null>`max(${t.rev})` }).from(t).where(eq(t.province, province)).get()?.rev ?? 0;
  const find = (province: number, officerId: string) =>
    db.select().from(t).where(and(eq(t.province, province), eq(t.officerId, officerId))).get() ?? null;
  return {
    list: (province) => db.select().from(t).where(eq(t.province, province)).orderBy(asc(t.officerId)).all(),
    find,
    revision,
    changedSince: (province, rev) => db.select({ id: t.id }).from(t).where(and(eq(t.province, province), gt(t.rev, rev))).limit(1).get() !== undefined,
    upsert: (r) =>
      db.transaction((tx) => {
        const rev = (tx.select({ rev: sql<number | null>`max(${t.rev})` }).from(t).where(eq(t.province, r.province)).get()?.rev ?? 0) + 1;
        tx.insert(t).values({ ...r, rev })
          .onConflictDoUpdate({ target: [t.province, t.officerId], set: { name: r.name, pinHash: r.pinHash, disabled: r.disabled, rev, updatedAt: r.updatedAt, updatedBy: r.updatedBy } })
          .run();
        return tx.select().from(t).where(and(eq(t.province, r.province), eq(t.officerId, r.officerId))).get()!;
      }),
  };
}
