import { bigint, boolean, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ms } from './columns.js';

/** PostgreSQL twin of server/db/schema/officers.ts (test/server/db/schema-sync.test.ts keeps them alike). */
export const checkpointOfficers = pgTable(
  'checkpoint_officers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    province: bigint('province', { mode: 'number' }).notNull(),
    officerId: text('officer_id').notNull(),
    name: text('name').notNull(),
    pinHash: text('pin_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    rev: bigint('rev', { mode: 'number' }).notNull(),
    updatedAt: ms('updated_at').notNull(),
    updatedBy: bigint('updated_by', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('checkpoint_officers_uq').on(t.province, t.officerId), index('checkpoint_officers_rev').on(t.province, t.rev)],
);
