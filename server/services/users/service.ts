import fp from 'fastify-plugin';
import { scopeOf, type AuthUser, type Role } from '../../auth/access.js';
import { requestedScope, scopeFilter, scopeFromColumns, scopeWithin, type Scope, type ScopeLevel } from '../../auth/scope.js';
import type { Deployment } from '../../config.js';
import { districtKnown } from '../../../shared/geo/districts.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../auth/passwords.js';
import { isCommonPassword } from '../../auth/common-passwords.js';
import { newSecretToken, tokenHash } from '../../auth/tokens.js';
import { isUniqueViolation } from '../../db/sql-client.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../domain-errors.js';
import { sqlUserRepository, type ApiTokenRecord, type UserRecord, type UserRepository } from './repository.js';

export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  province: number;
  scopeLevel: ScopeLevel;
  district: string | null;
  commune: string | null;
  disabled: boolean;
  createdAt: number;
}

export interface NewUser {
  username: string;
  password: string;
  displayName?: string | undefined;
  role: Role;
  province: number;
  /** default 'province' */
  scopeLevel?: ScopeLevel | undefined;
  district?: string | undefined;
  commune?: string | undefined;
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

const toPublic = ({ passwordHash: _h, createdBy: _c, ...u }: UserRecord): PublicUser => u;

export interface UsersServiceOptions {
  sessionTtlMinutes: number;
  apiTokenTtlDays: number;
  apiTokenMaxDays: number;
  clock: () => number;
  /** the deployment's shape: national users exist only in a national deployment */
  deployment?: Deployment;
}

const userScope = (u: UserRecord): Scope | null => scopeFromColumns(u.scopeLevel, u.province, u.district, u.commune);

/** People, their passwords, sessions and API tokens. Only an admin manages users, and only inside its own area. */
export class UsersService {
  constructor(private readonly repo: UserRepository, private readonly opts: UsersServiceOptions) {}

  private checkPassword(password: string, username: string): void {
    // Counted in code points, so a password of ten Vietnamese letters is ten characters.
    const length = [...password].length;
    if (length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
      throw new ValidationError(
        `password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters`,
        `Mật khẩu phải dài từ ${PASSWORD_MIN} đến ${PASSWORD_MAX} ký tự`,
        { field: 'password' },
      );
    }
    if (isCommonPassword(password) || password.toLowerCase().includes(username.toLowerCase())) {
      throw new ValidationError(
        'password is too easy to guess (a common password, or it contains the username)',
        'Mật khẩu quá dễ đoán (mật khẩu phổ biến hoặc chứa tên đăng nhập)',
        { field: 'password' },
      );
    }
  }

  /**
   * Who may create whom follows the duty: an admin creates users inside its own area and below (a province
   * admin: the province's users, its districts' and communes'), never a wider one; only a national admin
   * creates national users. `actor` null is the bootstrap command (first admin), run with shell access.
   */
  async create(actor: AuthUser | null, input: NewUser): Promise<PublicUser> {
    const scope = requestedScope(input.role, input);
    this.checkDeployment(scope, input.province);
    if (scope.level === 'district' || scope.level === 'commune') {
      if (!districtKnown(input.province, scope.district)) {
        throw new ValidationError(`district: ${scope.district} is not a district of province ${input.province}`,
          `Quận/huyện ${scope.district} không thuộc tỉnh ${input.province}`, { field: 'district' });
      }
    }
    if (actor) {
      if (actor.role !== 'admin') throw new ForbiddenError('only an admin creates users', 'Chỉ quản trị viên được tạo người dùng');
      if (!scopeWithin(scopeOf(actor), scope)) {
        throw new ForbiddenError(
          scope.level === 'national' ? 'only a national admin creates national users' : `an admin of ${scopeOf(actor).level} level cannot create a user outside its own area`,
          scope.level === 'national' ? 'Chỉ quản trị viên cấp Trung ương được tạo người dùng cấp toàn quốc'
            : `Quản trị viên chỉ được tạo người dùng trong phạm vi của mình (tỉnh ${input.province} nằm ngoài phạm vi)`,
        );
      }
    }
    this.checkPassword(input.password, input.username);
    const taken = () => new ConflictError(`username ${input.username} is taken`, `Tên đăng nhập ${input.username} đã tồn tại`);
    if (await this.repo.findByUsername(input.username)) throw taken();
    const passwordHash = await hashPassword(input.password);
    // Another request (on this instance or another) may take the name meanwhile: the unique index on lower(username) is the last word.
    const row = await this.repo.insert({
      username: input.username,
      displayName: input.displayName ?? input.username,
      passwordHash,
      role: input.role,
      province: input.province,
      scopeLevel: scope.level,
      district: scope.level === 'district' || scope.level === 'commune' ? scope.district : null,
      commune: scope.level === 'commune' ? scope.commune : null,
      disabled: false,
      createdAt: this.opts.clock(),
      createdBy: actor?.id ?? null,
    }).catch((err: unknown) => {
      throw isUniqueViolation(err) ? taken() : err;
    });
    return toPublic(row);
  }

  /** The deployment decides which scopes exist: a province's own server has no national users and no other province. */
  private checkDeployment(scope: Scope, province: number): void {
    const d = this.opts.deployment ?? { mode: 'province', only: null };
    if (d.mode === 'national') return;
    if (scope.level === 'national') {
      throw new ValidationError('scopeLevel: national users exist only in a national deployment (DEPLOYMENT=national)',
        'Máy chủ này phục vụ một tỉnh: không có người dùng cấp toàn quốc', { field: 'scopeLevel' });
    }
    if (d.only !== null && province !== d.only) {
      throw new ValidationError(`province: this server serves province ${d.only} only`, `Máy chủ này chỉ phục vụ tỉnh ${d.only}`, { field: 'province' });
    }
  }

  /** The users whose area lies inside the actor's (a national admin sees everyone; a district admin its district's). */
  async list(actor: AuthUser): Promise<PublicUser[]> {
    const outer = scopeOf(actor);
    return (await this.repo.listInScope(scopeFilter(outer))).filter((u) => {
      const s = userScope(u);
      return s !== null && scopeWithin(outer, s);
    }).map(toPublic);
  }

  private async ownUser(actor: AuthUser, id: number): Promise<UserRecord> {
    const u = await this.repo.findById(id);
    const s = u ? userScope(u) : null;
    if (!u || !s || !scopeWithin(scopeOf(actor), s)) throw new NotFoundError(`user ${id} not found`, `Không tìm thấy người dùng ${id}`);
    return u;
  }

  /** Disabling also ends the user's sessions and API tokens at once (re-enabling does not bring them back). */
  async setDisabled(actor: AuthUser, id: number, disabled: boolean): Promise<PublicUser> {
    const u = await this.ownUser(actor, id);
    if (u.id === actor.id && disabled) throw new ValidationError('you cannot disable yourself', 'Không thể tự khóa tài khoản của mình');
    await this.repo.transaction(async () => {
      await this.repo.setDisabled(id, disabled);
      if (disabled) await this.endAllAccess(id);
    });
    return toPublic({ ...u, disabled });
  }

  /** A reset is what follows a leaked password: every session and API token of the user ends. */
  async resetPassword(actor: AuthUser, id: number, password: string): Promise<void> {
    const u = await this.ownUser(actor, id);
    this.checkPassword(password, u.username);
    const hash = await hashPassword(password);
    await this.repo.transaction(async () => {
      await this.repo.setPasswordHash(u.id, hash);
      await this.endAllAccess(u.id);
    });
  }

  private async endAllAccess(userId: number): Promise<void> {
    await this.repo.deleteSessionsOf(userId);
    await this.repo.revokeApiTokensOf(userId, this.opts.clock());
  }

  /** Returns the session token for the cookie; only its hash is stored. Same work for unknown users (no timing oracle). */
  async login(username: string, password: string): Promise<{ user: PublicUser; sessionToken: string; expiresAt: number }> {
    const u = await this.repo.findByUsername(username);
    const ok = await verifyPassword(password, u?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!u || !ok || u.disabled) throw new UnauthorizedError('wrong username or password', 'Sai tên đăng nhập hoặc mật khẩu');
    const sessionToken = newSecretToken();
    const now = this.opts.clock();
    const expiresAt = now + this.opts.sessionTtlMinutes * 60_000;
    await this.repo.insertSession({ tokenHash: tokenHash(sessionToken), userId: u.id, createdAt: now, expiresAt });
    return { user: toPublic(u), sessionToken, expiresAt };
  }

  async logout(sessionTokenHash: string): Promise<void> {
    await this.repo.deleteSession(sessionTokenHash);
  }

  /** Sign-out with a bearer token revokes that token. */
  async logoutApiToken(apiTokenHash: string): Promise<void> {
    await this.repo.revokeApiTokenByHash(apiTokenHash, this.opts.clock());
  }

  async me(actor: AuthUser): Promise<PublicUser> {
    const u = await this.repo.findById(actor.id);
    if (!u) throw new NotFoundError('user not found', 'Không tìm thấy người dùng');
    return toPublic(u);
  }

  /** The token is returned once; only its hash is kept. */
  async createApiToken(actor: AuthUser, name: string, ttlDays?: number): Promise<ApiTokenRecord & { token: string }> {
    const token = newSecretToken();
    const now = this.opts.clock();
    const days = ttlDays ?? this.opts.apiTokenTtlDays;
    if (days > this.opts.apiTokenMaxDays) {
      throw new ValidationError(`ttlDays: at most ${this.opts.apiTokenMaxDays} days`, `Thời hạn mã truy cập (ttlDays) tối đa ${this.opts.apiTokenMaxDays} ngày`, { field: 'ttlDays' });
    }
    const row = await this.repo.insertApiToken({ tokenHash: tokenHash(token), userId: actor.id, name, createdAt: now, expiresAt: now + days * 86_400_000 });
    return { ...row, token };
  }

  listApiTokens(actor: AuthUser): Promise<ApiTokenRecord[]> {
    return this.repo.listApiTokens(actor.id);
  }

  async revokeApiToken(actor: AuthUser, id: number): Promise<void> {
    if (!await this.repo.revokeApiToken(actor.id, id, this.opts.clock())) throw new NotFoundError(`token ${id} not found`, `Không tìm thấy mã truy cập ${id}`);
  }

  purgeExpiredSessions(): Promise<number> {
    return this.repo.deleteExpiredSessions(this.opts.clock());
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly users: UsersService;
  }
}

export default fp(
  async (app) => {
    app.decorate('users', new UsersService(sqlUserRepository(app.database.client), {
      sessionTtlMinutes: app.config.sessionTtlMinutes,
      apiTokenTtlDays: app.config.apiTokenTtlDays,
      apiTokenMaxDays: app.config.apiTokenMaxDays,
      clock: app.clock,
      deployment: app.config.deployment,
    }));
  },
  { name: 'users', fastify: '5.x', dependencies: ['database'] },
);
