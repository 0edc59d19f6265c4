import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Checkpoint officers of a province, managed by its admin and sent to its stations: a badge id, a
 * name and the PIN only as a scrypt hash (shared/auth/pin-hash.ts). `rev` rises with every change in
 * the province, so a station asks only for what changed since the revision it holds.
 */
export const checkpointOfficers = sqliteTable(
  'checkpoint_officers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    province: integer('province').notNull(),
    officerId: text('officer_id').notNull(),
    name: text('name').notNull(),
    pinHash: text('pin_hash').notNull(),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    rev: integer('rev').notNull(),
    updatedAt: integer('updated_at').notNull(),
    updatedBy: integer('updated_by').notNull(),
  },
  (t) => [uniqueIndex('checkpoint_officers_uq').on(t.province, t.officerId), index('checkpoint_officers_rev').on(t.province, t.rev)],
);
