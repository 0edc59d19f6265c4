import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** People who sign in: one role each, scoped to a province. */
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
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    createdBy: integer('created_by'),
  },
  (t) => [uniqueIndex('users_username_uq').on(sql`lower(${t.username})`)],
);
