import { bigint, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ms } from './columns.js';

/** PostgreSQL twin of server/db/schema/arrivals.ts (the comments there say why). */
export const arrivalDeclarations = pgTable('arrival_declarations', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  citizenId: text('citizen_id').notNull(),
  name: text('name').notNull(),
  phone: text('phone'),
  originZone: text('origin_zone').notNull(),
  province: integer('province').notNull(),
  district: text('district').notNull(),
  commune: text('commune').notNull(),
  address: text('address').notNull(),
  declaredAt: ms('declared_at').notNull(),
  recordedAt: ms('recorded_at').notNull(),
  recordedBy: text('recorded_by').notNull(),
  outcome: text('outcome'),
  outcomeNote: text('outcome_note'),
  outcomeBy: text('outcome_by'),
  outcomeAt: ms('outcome_at'),
}, (t) => [
  uniqueIndex('arrival_declarations_citizen').on(t.citizenId),
  index('arrival_declarations_place').on(t.province, t.district, t.commune, t.declaredAt),
]);

export const arrivalOutcomes = pgTable('arrival_outcomes', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  declarationId: bigint('declaration_id', { mode: 'number' }).notNull(),
  citizenId: text('citizen_id').notNull(),
  outcome: text('outcome').notNull(),
  note: text('note'),
  byUser: text('by_user').notNull(),
  at: ms('at').notNull(),
}, (t) => [index('arrival_outcomes_citizen').on(t.citizenId, t.at)]);
