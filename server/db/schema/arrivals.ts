import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Where people arriving in the province say they are going (the movement declaration of 2021: the
 * commune and address of destination), one current declaration per person: a newer one replaces the
 * older and starts its follow-up afresh. An arrival is such a declaration joined at query time with
 * the person's first uploaded ENTRY into that province (server/services/arrivals). The commune's
 * follow-up (contacted and monitored, or not found) is kept on the row and, with who and when, in
 * `arrival_outcomes`.
 */
export const arrivalDeclarations = sqliteTable('arrival_declarations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  citizenId: text('citizen_id').notNull(),
  name: text('name').notNull(),
  phone: text('phone'),
  /** the zone the person comes from ('01' or '01-001'): its level decides whether the arrival is followed up */
  originZone: text('origin_zone').notNull(),
  /** destination: province, district (3 digits) and commune (5 digits) official codes, and the address */
  province: integer('province').notNull(),
  district: text('district').notNull(),
  commune: text('commune').notNull(),
  address: text('address').notNull(),
  declaredAt: integer('declared_at').notNull(),
  recordedAt: integer('recorded_at').notNull(),
  recordedBy: text('recorded_by').notNull(),
  /** null until the commune follows up: 'monitored' | 'not-found' */
  outcome: text('outcome'),
  outcomeNote: text('outcome_note'),
  outcomeBy: text('outcome_by'),
  outcomeAt: integer('outcome_at'),
}, (t) => [
  uniqueIndex('arrival_declarations_citizen').on(t.citizenId),
  index('arrival_declarations_place').on(t.province, t.district, t.commune, t.declaredAt),
]);

/** Every follow-up recorded on an arrival, with who and when (the row above holds only the latest). */
export const arrivalOutcomes = sqliteTable('arrival_outcomes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  declarationId: integer('declaration_id').notNull(),
  citizenId: text('citizen_id').notNull(),
  outcome: text('outcome').notNull(),
  note: text('note'),
  byUser: text('by_user').notNull(),
  at: integer('at').notNull(),
}, (t) => [index('arrival_outcomes_citizen').on(t.citizenId, t.at)]);
