import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { ServerDb } from '../../db/database.js';
import { apiTokens, sessions, users } from '../../db/schema/index.js';
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
  findByUsername(username: string): UserRecord | null;
  findById(id: number): UserRecord | null;
  insert(u: Omit<UserRecord, 'id'>): UserRecord;
  /** users of the filter's province (all, for a national filter); the caller narrows to those wholly inside the scope */
  listInScope(f: ScopeFilter): UserRecord[];
  setDisabled(id: number, disabled: boolean): void;
  setPasswordHash(id: number, hash: string): void;
  insertSession(s: { tokenHash: string; userId: number; createdAt: number; expiresAt: number }): void;
  deleteSession(tokenHash: string): void;
  deleteSessionsOf(userId: number): void;
  deleteExpiredSessions(now: number): number;
  insertApiToken(t: Omit<ApiTokenRecord, 'id' | 'revokedAt'> & { tokenHash: string }): ApiTokenRecord;
  listApiTokens(userId: number): ApiTokenRecord[];
  revokeApiToken(userId: number, id: number, at: number): boolean;
  revokeApiTokenByHash(tokenHash: string, at: number): boolean;
  /** every live token of the user (password reset, disabled user) */
  revokeApiTokensOf(userId: number, at: number): number;
}

const tokenCols = {
  id: apiTokens.id, userId: apiTokens.userId, name: apiTokens.name, createdAt: apiTokens.createdAt,
  expiresAt: apiTokens.expiresAt, revokedAt: apiTokens.revokedAt,
};

export function drizzleUserRepository(db: ServerDb): UserRepository {
  return {
    findByUsername: (username) =>
      db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`).get() ?? null,
    findById: (id) => db.select().from(users).where(eq(users.id, id)).get() ?? null,
    insert: (u) => db.insert(users).values(u).returning().get(),
    listInScope: (f) => (f.province === null
      ? db.select().from(users).orderBy(asc(users.id)).all()
      : db.select().from(users).where(eq(users.province, f.province)).orderBy(asc(users.id)).all()),
    setDisabled: (id, disabled) => void db.update(users).set({ disabled }).where(eq(users.id, id)).run(),
    setPasswordHash: (id, hash) => void db.update(users).set({ passwordHash: hash }).where(eq(users.id, id)).run(),
    insertSession: (s) => void db.insert(sessions).values(s).run(),
    deleteSession: (tokenHash) => void db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).run(),
    deleteSessionsOf: (userId) => void db.delete(sessions).where(eq(sessions.userId, userId)).run(),
    deleteExpiredSessions: (now) => db.delete(sessions).where(lt(sessions.expiresAt, now)).run().changes,
    insertApiToken: (t) => db.insert(apiTokens).values(t).returning(tokenCols).get(),
    listApiTokens: (userId) => db.select(tokenCols).from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(asc(apiTokens.id)).all(),
    revokeApiToken: (userId, id, at) =>
      db.update(apiTokens).set({ revokedAt: at })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt))).run().changes > 0,
    revokeApiTokenByHash: (tokenHash, at) =>
      db.update(apiTokens).set({ revokedAt: at }).where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt))).run().changes > 0,
    revokeApiTokensOf: (userId, at) =>
      db.update(apiTokens).set({ revokedAt: at }).where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt))).run().changes,
  };
}
