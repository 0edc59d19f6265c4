import { sql } from 'drizzle-orm';
import { bigint, boolean, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ms } from './columns.js';

/** PostgreSQL twin of server/db/schema/users.ts (test/server-db/schema-sync.test.ts keeps them alike). */
export const users = pgTable(
  'users',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['admin', 'transport', 'health', 'command', 'officer'] }).notNull(),
    province: bigint('province', { mode: 'number' }).notNull(),
    scopeLevel: text('scope_level', { enum: ['national', 'province', 'district', 'commune'] }).notNull().default('province'),
    district: text('district'),
    commune: text('commune'),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: ms('created_at').notNull(),
    createdBy: bigint('created_by', { mode: 'number' }),
  },
  (t) => [uniqueIndex('users_username_uq').on(sql`lower(${t.username})`)],
);
