import { ForbiddenError, NotFoundError, ValidationError } from '../domain-errors.js';
import type { Role } from './access.js';

/**
 * Where a person's duty reaches, as the 2021 command centers were organised: the nation, one province,
 * one district of it, or one commune of that district. Computed once when the caller is authenticated
 * (request.user.scope); services and repositories take the `ScopeFilter` it gives and never look at a
 * role or a province themselves to decide what a reader may see.
 */
export const SCOPE_LEVELS = ['national', 'province', 'district', 'commune'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

export type Scope =
  | { readonly level: 'national' }
  | { readonly level: 'province'; readonly province: number }
  | { readonly level: 'district'; readonly province: number; readonly district: string }
  | { readonly level: 'commune'; readonly province: number; readonly district: string; readonly commune: string };

/** What a repository filters on: null = no limit at that level (a national reader, or a province reader's districts). */
export interface ScopeFilter {
  readonly province: number | null;
  readonly district: string | null;
  readonly commune: string | null;
}

/** A place something belongs to: a checkpoint (station), a user, a zone. District and commune are official codes. */
export interface Place {
  readonly province: number;
  readonly district?: string | null;
  readonly commune?: string | null;
}

/** The levels each role may hold: passes are issued by a province's transport department; officers stand at checkpoints. */
export const ROLE_SCOPE_LEVELS: Readonly<Record<Role, readonly ScopeLevel[]>> = {
  admin: SCOPE_LEVELS,
  command: SCOPE_LEVELS,
  health: SCOPE_LEVELS,
  transport: ['province'],
  officer: ['province', 'district', 'commune'],
};

export const DISTRICT_PATTERN = '^[0-9]{3}$';
export const COMMUNE_PATTERN = '^[0-9]{5}$';

/** The stored columns of a user (scope_level, province, district, commune) as a Scope; null when they do not fit together. */
export function scopeFromColumns(level: string, province: number, district: string | null, commune: string | null): Scope | null {
  switch (level) {
    case 'national': return { level };
    case 'province': return { level, province };
    case 'district': return district ? { level, province, district } : null;
    case 'commune': return district && commune ? { level, province, district, commune } : null;
    default: return null;
  }
}

export function scopeFilter(scope: Scope): ScopeFilter {
  switch (scope.level) {
    case 'national': return { province: null, district: null, commune: null };
    case 'province': return { province: scope.province, district: null, commune: null };
    case 'district': return { province: scope.province, district: scope.district, commune: null };
    case 'commune': return { province: scope.province, district: scope.district, commune: scope.commune };
  }
}

/** True when the place lies inside the scope (a place with no district is seen only from its province up). */
export function placeInScope(scope: Scope, place: Place): boolean {
  const f = scopeFilter(scope);
  if (f.province !== null && place.province !== f.province) return false;
  if (f.district !== null && (place.district ?? null) !== f.district) return false;
  if (f.commune !== null && (place.commune ?? null) !== f.commune) return false;
  return true;
}

/** `inner` lies wholly inside `outer` (a province admin may create the province's district users, never a national one). */
export function scopeWithin(outer: Scope, inner: Scope): boolean {
  if (inner.level === 'national') return outer.level === 'national';
  const f = scopeFilter(inner);
  return placeInScope(outer, { province: f.province!, district: f.district, commune: f.commune });
}

/** A reader at province level or above (the nation): the province-wide registers (passes, people, policy, officers). */
export function provinceWide(scope: Scope): boolean {
  return scope.level === 'national' || scope.level === 'province';
}

export function scopeName(scope: Scope): string {
  switch (scope.level) {
    case 'national': return 'national';
    case 'province': return `province ${scope.province}`;
    case 'district': return `district ${scope.province}-${scope.district}`;
    case 'commune': return `commune ${scope.province}-${scope.district}-${scope.commune}`;
  }
}

function scopeNameVi(scope: Scope): string {
  switch (scope.level) {
    case 'national': return 'toàn quốc';
    case 'province': return `tỉnh ${scope.province}`;
    case 'district': return `quận/huyện ${scope.district} (tỉnh ${scope.province})`;
    case 'commune': return `xã/phường ${scope.commune} (quận/huyện ${scope.district}, tỉnh ${scope.province})`;
  }
}

/** A write to a place outside the caller's area: refused, naming both. */
export function assertPlaceInScope(scope: Scope, place: Place): void {
  if (placeInScope(scope, place)) return;
  const where = place.district ? `district ${place.province}-${place.district}` : `province ${place.province}`;
  const whereVi = place.district ? `quận/huyện ${place.district} của tỉnh ${place.province}` : `tỉnh ${place.province}`;
  throw new ForbiddenError(`a user of ${scopeName(scope)} cannot act on ${where}`, `Người dùng cấp ${scopeNameVi(scope)} không được thao tác trên dữ liệu ${whereVi}`);
}

/** Province-wide registers: a district or commune user has no duty there. */
export function assertProvinceWide(scope: Scope, province?: number): void {
  if (!provinceWide(scope)) {
    throw new ForbiddenError(`a user of ${scopeName(scope)} has no access to the province-wide register`,
      `Người dùng cấp ${scopeNameVi(scope)} không có quyền với dữ liệu cấp tỉnh`);
  }
  if (province !== undefined) assertPlaceInScope(scope, { province });
}

/** A read of one thing outside the caller's area answers as if it did not exist (no probing other provinces' ids). */
export function notFoundOutside<T extends Place>(scope: Scope, thing: T | null, what: string, whatVi: string): T {
  if (!thing || !placeInScope(scope, thing)) throw new NotFoundError(`${what} not found`, `Không tìm thấy ${whatVi}`);
  return thing;
}

/** Whether a caller's scope is wide enough for a route's declared `minScope` (see RouteAccess). */
export function wideEnough(scope: Scope, min: 'national' | 'province' | 'server' | undefined, deployment: 'province' | 'national'): boolean {
  if (min === undefined) return true;
  const need = min === 'server' ? deployment : min;
  return need === 'national' ? scope.level === 'national' : provinceWide(scope);
}

/** Check a requested scope for a role and build it; errors name the field. */
export function requestedScope(role: Role, input: { scopeLevel?: ScopeLevel | undefined; province: number; district?: string | null | undefined; commune?: string | null | undefined }): Scope {
  const level = input.scopeLevel ?? 'province';
  if (!ROLE_SCOPE_LEVELS[role].includes(level)) {
    throw new ValidationError(`scopeLevel: role ${role} cannot have scope ${level} (allowed: ${ROLE_SCOPE_LEVELS[role].join(', ')})`,
      `Cấp phạm vi không hợp lệ cho vai trò này`, { field: 'scopeLevel' });
  }
  const district = input.district ?? null;
  const commune = input.commune ?? null;
  const needsDistrict = level === 'district' || level === 'commune';
  if (needsDistrict !== (district !== null)) {
    throw new ValidationError(`district: ${needsDistrict ? 'required' : 'only for district and commune users'}`,
      needsDistrict ? 'Cần chọn quận/huyện' : 'Chỉ người dùng cấp quận/huyện hoặc xã/phường có quận/huyện', { field: 'district' });
  }
  if ((level === 'commune') !== (commune !== null)) {
    throw new ValidationError(`commune: ${level === 'commune' ? 'required' : 'only for commune users'}`,
      level === 'commune' ? 'Cần nhập mã xã/phường' : 'Chỉ người dùng cấp xã/phường có mã xã/phường', { field: 'commune' });
  }
  return scopeFromColumns(level, input.province, district, commune)!;
}
