import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export interface StoredTest {
  type: 'RT_PCR' | 'RAPID_ANTIGEN';
  result: 'NEGATIVE' | 'POSITIVE';
  sampledAt: number;
}

/**
 * People known to the health authority: the latest declaration, test and F0/F1 status. `item` is
 * the PersonFacts feed item as JSON and `changeSeq` the change that wrote it (see issuing.ts).
 */
export const people = sqliteTable('people', {
  citizenId: text('citizen_id').primaryKey(),
  name: text('name').notNull(),
  phone: text('phone'),
  declaredAt: integer('declared_at'),
  originZone: text('origin_zone'),
  test: text('test', { mode: 'json' }).$type<StoredTest>(),
  doses: integer('doses').notNull(),
  status: text('status', { enum: ['NONE', 'F0', 'F1'] }).notNull(),
  statusAsOf: integer('status_as_of').notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  item: text('item').notNull(),
  changeSeq: integer('change_seq').notNull(),
}, (t) => [
  // The national flag list stations hold (services/feed): only these rows, never the population.
  // Same condition as FLAGGED_SQL in services/feed/sqlite-snapshot.ts.
  index('people_flagged').on(t.citizenId).where(sql`status <> 'NONE' OR json_extract(test, '$.result') = 'POSITIVE'`),
]);

/**
 * Every change to a person's health facts, with who made it and why: imports ("nhập tệp"), a tracer
 * flagging contacts F1 (with the case traced from), an edit by health staff. The person's history
 * screen reads it; it goes with the person when the person is removed.
 */
export const healthChanges = sqliteTable('health_changes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  citizenId: text('citizen_id').notNull(),
  /** declaration | test | flag | edit */
  kind: text('kind').notNull(),
  /** the facts after the change that this change set, as JSON */
  change: text('change', { mode: 'json' }).notNull(),
  byUser: text('by_user').notNull(),
  reason: text('reason').notNull(),
}, (t) => [index('health_changes_person').on(t.citizenId, t.at)]);
