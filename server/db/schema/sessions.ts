import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/** Browser sessions. Only the SHA-256 of the cookie token is stored, so a leaked table opens nothing. */
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Bearer tokens for scripts; stored as SHA-256 like sessions, shown once at creation. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tokenHash: text('token_hash').notNull().unique(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/**
 * Sign-in attempts, so that every server instance counts the same failures (server/auth/login-throttle.ts).
 * A row is written when an attempt starts (`failed` 0: in flight), marked failed when the password was
 * wrong, and deleted when it succeeded; rows older than the longest window are swept.
 */
export const loginAttempts = sqliteTable(
  'login_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    address: text('address').notNull(),
    /** the username as typed, lower-cased */
    account: text('account').notNull(),
    at: integer('at').notNull(),
    failed: integer('failed', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('login_attempts_address_idx').on(t.address, t.at), index('login_attempts_account_idx').on(t.account, t.at), index('login_attempts_at_idx').on(t.at)],
);

/** Secrets every server instance must share (the CSRF HMAC key): made once by whichever instance starts first. */
export const serverSecrets = sqliteTable('server_secrets', {
  name: text('name').primaryKey(),
  /** base64url */
  value: text('value').notNull(),
  createdAt: integer('created_at').notNull(),
});
