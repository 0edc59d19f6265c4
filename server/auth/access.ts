import { ForbiddenError, UnauthorizedError } from '../domain-errors.js';
import type { Scope } from './scope.js';

export const ROLES = ['admin', 'transport', 'health', 'command', 'officer'] as const;
export type Role = (typeof ROLES)[number];
export const ALL_ROLES: readonly Role[] = ROLES;

/**
 * The narrowest area a route's caller may have: `province` for the province-wide registers (passes,
 * people, policy, officers, keys); `national` for acts on the whole country; `server` for acts on the
 * whole deployment (national in a national deployment, the province on a province's own server).
 */
export type MinScope = 'national' | 'province' | 'server';

/**
 * Who may call a route, declared on every route as `config: { access }`:
 * `{ roles, minScope? }` for signed-in people with one of those roles (and an area at least that wide),
 * `'station'` for station credentials, `'public'` for anyone. A route without it fails at startup.
 */
export type RouteAccess = { roles: readonly Role[]; minScope?: MinScope } | 'station' | 'public';

export interface AuthUser {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  /** the province the user belongs to (a national user's: its home office) */
  readonly province: number;
  /**
   * Where the user's duty reaches, computed once when authenticated (server/auth/scope.ts). Absent only
   * for actors made inside the process (seeds, commands, tests): those act at their province's level.
   * Read it through `scopeOf`.
   */
  readonly scope?: Scope;
}

export interface AuthStation {
  readonly stationId: string;
  readonly checkpointId: number;
  readonly province: number;
  readonly district?: string | null;
  readonly commune?: string | null;
  readonly lanes: readonly { id: string; direction: 'entry' | 'exit' }[];
}

/** How the caller authenticated; only cookie sessions need the CSRF token on state-changing requests. */
export type AuthVia = 'cookie' | 'bearer' | 'station';

export interface RouteAccessEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

interface HasCaller {
  user: AuthUser | null;
  station: AuthStation | null;
}

/** The signed-in person; the auth hook has already enforced the route's roles. */
export function requireUser(request: HasCaller): AuthUser {
  if (!request.user) throw new UnauthorizedError('sign-in required', 'Cần đăng nhập');
  return request.user;
}

export function requireStation(request: HasCaller): AuthStation {
  if (!request.station) throw new UnauthorizedError('station credential required', 'Cần thông tin xác thực của trạm');
  return request.station;
}

/** A user acts only on their own province (a transport user of province X issues passes of X only). */
export function assertProvince(user: AuthUser, province: number): void {
  if (user.province !== province) {
    throw new ForbiddenError(
      `user of province ${user.province} cannot act on province ${province}`,
      `Người dùng tỉnh ${user.province} không được thao tác trên dữ liệu tỉnh ${province}`,
    );
  }
}

/** The caller's scope (see AuthUser.scope). */
export function scopeOf(user: Pick<AuthUser, 'province' | 'scope'>): Scope {
  return user.scope ?? { level: 'province', province: user.province };
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
