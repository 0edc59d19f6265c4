import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** People who sign in: one role each, scoped to the nation, a province, a district or a commune. */
export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    /** scrypt$N$r$p$salt$hash (see server/auth/passwords.ts) */
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['admin', 'transport', 'health', 'command', 'officer'] }).notNull(),
    province: integer('province').notNull(),
    /** how far the user's duty reaches (server/auth/scope.ts); a national user's province is its home office */
    scopeLevel: text('scope_level', { enum: ['national', 'province', 'district', 'commune'] }).notNull().default('province'),
    /** official district code (3 digits) for district and commune users */
    district: text('district'),
    /** official commune code (5 digits) for commune users */
    commune: text('commune'),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    createdBy: integer('created_by'),
  },
  (t) => [uniqueIndex('users_username_uq').on(sql`lower(${t.username})`)],
);
