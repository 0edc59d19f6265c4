import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { StoredTest } from '../../schema/health.js';
import { ms, seqNo } from './columns.js';

export const people = pgTable('people', {
  citizenId: text('citizen_id').primaryKey(),
  name: text('name').notNull(),
  phone: text('phone'),
  declaredAt: ms('declared_at'),
  originZone: text('origin_zone'),
  test: jsonb('test').$type<StoredTest>(),
  doses: bigint('doses', { mode: 'number' }).notNull(),
  status: text('status', { enum: ['NONE', 'F0', 'F1'] }).notNull(),
  statusAsOf: ms('status_as_of').notNull(),
  updatedAt: ms('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  item: text('item').notNull(),
  changeSeq: seqNo('change_seq').notNull(),
}, (t) => [
  // The national flag list stations hold (the SQLite twin's comment says why).
  index('people_flagged').on(t.citizenId).where(sql`status <> 'NONE' OR test->>'result' = 'POSITIVE'`),
]);

export const healthChanges = pgTable('health_changes', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  at: ms('at').notNull(),
  citizenId: text('citizen_id').notNull(),
  kind: text('kind').notNull(),
  change: jsonb('change').notNull(),
  byUser: text('by_user').notNull(),
  reason: text('reason').notNull(),
}, (t) => [index('health_changes_person').on(t.citizenId, t.at)]);
