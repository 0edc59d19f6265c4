import type { SqlClient } from '../../db/sql-client.js';
import type { Role } from '../../auth/access.js';
import type { ScopeFilter, ScopeLevel } from '../../auth/scope.js';

export interface UserRecord {
  id: number;
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  province: number;
  scopeLevel: ScopeLevel;
  district: string | null;
  commune: string | null;
  disabled: boolean;
  createdAt: number;
  createdBy: number | null;
}

export interface ApiTokenRecord {
  id: number;
  userId: number;
  name: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface UserRepository {
  /** several writes as one (a password reset with the end of every session and token) */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  findByUsername(username: string): Promise<UserRecord | null>;
  findById(id: number): Promise<UserRecord | null>;
  /** throws a unique violation (isUniqueViolation) when the username is taken in any case */
  insert(u: Omit<UserRecord, 'id'>): Promise<UserRecord>;
  /** users of the filter's province (all, for a national filter); the caller narrows to those wholly inside the scope */
  listInScope(f: ScopeFilter): Promise<UserRecord[]>;
  setDisabled(id: number, disabled: boolean): Promise<void>;
  setPasswordHash(id: number, hash: string): Promise<void>;
  insertSession(s: { tokenHash: string; userId: number; createdAt: number; expiresAt: number }): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteSessionsOf(userId: number): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;
  insertApiToken(t: Omit<ApiTokenRecord, 'id' | 'revokedAt'> & { tokenHash: string }): Promise<ApiTokenRecord>;
  listApiTokens(userId: number): Promise<ApiTokenRecord[]>;
  revokeApiToken(userId: number, id: number, at: number): Promise<boolean>;
  revokeApiTokenByHash(tokenHash: string, at: number): Promise<boolean>;
  /** every live token of the user (password reset, disabled user) */
  revokeApiTokensOf(userId: number, at: number): Promise<number>;
}

const USER_COLS = `id, username, display_name AS "displayName", password_hash AS "passwordHash", role, province,
  scope_level AS "scopeLevel", district, commune, disabled, created_at AS "createdAt", created_by AS "createdBy"`;
const TOKEN_COLS = `id, user_id AS "userId", name, created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt"`;

type UserRow = Omit<UserRecord, 'disabled'> & { disabled: number | boolean };
/** Both clients read booleans as 1/0. */
const toUser = (r: UserRow | undefined): UserRecord | null => (r ? { ...r, disabled: Boolean(r.disabled) } : null);

/** Users, sessions and API tokens in portable SQL (server/db/sql-client.ts), the same on SQLite and PostgreSQL. */
export function sqlUserRepository(db: SqlClient): UserRepository {
  return {
    transaction: (fn) => db.transaction(fn),
    findByUsername: async (username) =>
      toUser(await db.get<UserRow>(`SELECT ${USER_COLS} FROM users WHERE lower(username) = lower(?)`, [username])),
    findById: async (id) => toUser(await db.get<UserRow>(`SELECT ${USER_COLS} FROM users WHERE id = ?`, [id])),
    insert: async (u) => toUser(await db.get<UserRow>(
      `INSERT INTO users (username, display_name, password_hash, role, province, scope_level, district, commune, disabled, created_at, created_by)
       VALUES (@username, @displayName, @passwordHash, @role, @province, @scopeLevel, @district, @commune, @disabled, @createdAt, @createdBy)
       RETURNING ${USER_COLS}`,
      { ...u, disabled: u.disabled ? 1 : 0 },
    ))!,
    listInScope: async (f) => (f.province === null
      ? await db.all<UserRow>(`SELECT ${USER_COLS} FROM users ORDER BY id`)
      : await db.all<UserRow>(`SELECT ${USER_COLS} FROM users WHERE province = ? ORDER BY id`, [f.province])).map((r) => toUser(r)!),
    setDisabled: async (id, disabled) => void await db.run('UPDATE users SET disabled = ? WHERE id = ?', [disabled ? 1 : 0, id]),
    setPasswordHash: async (id, hash) => void await db.run('UPDATE users SET password_hash = ? WHERE id = ?', [hash, id]),
    insertSession: async (s) =>
      void await db.run('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (@tokenHash, @userId, @createdAt, @expiresAt)', s),
    deleteSession: async (tokenHash) => void await db.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]),
    deleteSessionsOf: async (userId) => void await db.run('DELETE FROM sessions WHERE user_id = ?', [userId]),
    deleteExpiredSessions: async (now) => (await db.run('DELETE FROM sessions WHERE expires_at < ?', [now])).changes,
    insertApiToken: async (t) => (await db.get<ApiTokenRecord>(
      `INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES (@tokenHash, @userId, @name, @createdAt, @expiresAt)
       RETURNING ${TOKEN_COLS}`,
      t,
    ))!,
    listApiTokens: (userId) => db.all<ApiTokenRecord>(`SELECT ${TOKEN_COLS} FROM api_tokens WHERE user_id = ? ORDER BY id`, [userId]),
    revokeApiToken: async (userId, id, at) =>
      (await db.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL', [at, id, userId])).changes > 0,
    revokeApiTokenByHash: async (tokenHash, at) =>
      (await db.run('UPDATE api_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL', [at, tokenHash])).changes > 0,
    revokeApiTokensOf: async (userId, at) =>
      (await db.run('UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [at, userId])).changes,
  };
}
