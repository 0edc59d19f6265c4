import fp from 'fastify-plugin';
import { assertProvince, type AuthUser, type Role } from '../../auth/access.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../auth/passwords.js';
import { isCommonPassword } from '../../auth/common-passwords.js';
import { newSecretToken, tokenHash } from '../../auth/tokens.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../domain-errors.js';
import { drizzleUserRepository, type ApiTokenRecord, type UserRecord, type UserRepository } from './repository.js';

export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  province: number;
  disabled: boolean;
  createdAt: number;
}

export interface NewUser {
  username: string;
  password: string;
  displayName?: string | undefined;
  role: Role;
  province: number;
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

const toPublic = ({ passwordHash: _h, createdBy: _c, ...u }: UserRecord): PublicUser => u;

export interface UsersServiceOptions {
  sessionTtlMinutes: number;
  apiTokenTtlDays: number;
  apiTokenMaxDays: number;
  clock: () => number;
}

/** People, their passwords, sessions and API tokens. Only an admin manages users, and only in their own province. */
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

  /** `actor` null is the bootstrap command (first admin), which runs with shell access to the server. */
  async create(actor: AuthUser | null, input: NewUser): Promise<PublicUser> {
    if (actor) {
      if (actor.role !== 'admin') throw new ForbiddenError('only an admin creates users', 'Chỉ quản trị viên được tạo người dùng');
      assertProvince(actor, input.province);
    }
    this.checkPassword(input.password, input.username);
    if (this.repo.findByUsername(input.username)) {
      throw new ConflictError(`username ${input.username} is taken`, `Tên đăng nhập ${input.username} đã tồn tại`);
    }
    const passwordHash = await hashPassword(input.password);
    // Checked again after the await: another request may have taken the name meanwhile (the unique index is the last word).
    if (this.repo.findByUsername(input.username)) {
      throw new ConflictError(`username ${input.username} is taken`, `Tên đăng nhập ${input.username} đã tồn tại`);
    }
    const row = this.repo.insert({
      username: input.username,
      displayName: input.displayName ?? input.username,
      passwordHash,
      role: input.role,
      province: input.province,
      disabled: false,
      createdAt: this.opts.clock(),
      createdBy: actor?.id ?? null,
    });
    return toPublic(row);
  }

  list(actor: AuthUser): PublicUser[] {
    return this.repo.listByProvince(actor.province).map(toPublic);
  }

  private ownUser(actor: AuthUser, id: number): UserRecord {
    const u = this.repo.findById(id);
    if (!u || u.province !== actor.province) throw new NotFoundError(`user ${id} not found`, `Không tìm thấy người dùng ${id}`);
    return u;
  }

  /** Disabling also ends the user's sessions and API tokens at once (re-enabling does not bring them back). */
  setDisabled(actor: AuthUser, id: number, disabled: boolean): PublicUser {
    const u = this.ownUser(actor, id);
    if (u.id === actor.id && disabled) throw new ValidationError('you cannot disable yourself', 'Không thể tự khóa tài khoản của mình');
    this.repo.setDisabled(id, disabled);
    if (disabled) this.endAllAccess(id);
    return toPublic({ ...u, disabled });
  }

  /** A reset is what follows a leaked password: every session and API token of the user ends. */
  async resetPassword(actor: AuthUser, id: number, password: string): Promise<void> {
    const u = this.ownUser(actor, id);
    this.checkPassword(password, u.username);
    this.repo.setPasswordHash(u.id, await hashPassword(password));
    this.endAllAccess(u.id);
  }

  private endAllAccess(userId: number): void {
    this.repo.deleteSessionsOf(userId);
    this.repo.revokeApiTokensOf(userId, this.opts.clock());
  }

  /** Returns the session token for the cookie; only its hash is stored. Same work for unknown users (no timing oracle). */
  async login(username: string, password: string): Promise<{ user: PublicUser; sessionToken: string; expiresAt: number }> {
    const u = this.repo.findByUsername(username);
    const ok = await verifyPassword(password, u?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!u || !ok || u.disabled) throw new UnauthorizedError('wrong username or password', 'Sai tên đăng nhập hoặc mật khẩu');
    const sessionToken = newSecretToken();
    const now = this.opts.clock();
    const expiresAt = now + this.opts.sessionTtlMinutes * 60_000;
    this.repo.insertSession({ tokenHash: tokenHash(sessionToken), userId: u.id, createdAt: now, expiresAt });
    return { user: toPublic(u), sessionToken, expiresAt };
  }

  logout(sessionTokenHash: string): void {
    this.repo.deleteSession(sessionTokenHash);
  }

  /** Sign-out with a bearer token revokes that token. */
  logoutApiToken(apiTokenHash: string): void {
    this.repo.revokeApiTokenByHash(apiTokenHash, this.opts.clock());
  }

  me(actor: AuthUser): PublicUser {
    const u = this.repo.findById(actor.id);
    if (!u) throw new NotFoundError('user not found', 'Không tìm thấy người dùng');
    return toPublic(u);
  }

  /** The token is returned once; only its hash is kept. */
  createApiToken(actor: AuthUser, name: string, ttlDays?: number): ApiTokenRecord & { token: string } {
    const token = newSecretToken();
    const now = this.opts.clock();
    const days = ttlDays ?? this.opts.apiTokenTtlDays;
    if (days > this.opts.apiTokenMaxDays) {
      throw new ValidationError(`ttlDays: at most ${this.opts.apiTokenMaxDays} days`, `Thời hạn mã truy cập (ttlDays) tối đa ${this.opts.apiTokenMaxDays} ngày`, { field: 'ttlDays' });
    }
    const row = this.repo.insertApiToken({ tokenHash: tokenHash(token), userId: actor.id, name, createdAt: now, expiresAt: now + days * 86_400_000 });
    return { ...row, token };
  }

  listApiTokens(actor: AuthUser): ApiTokenRecord[] {
    return this.repo.listApiTokens(actor.id);
  }

  revokeApiToken(actor: AuthUser, id: number): void {
    if (!this.repo.revokeApiToken(actor.id, id, this.opts.clock())) throw new NotFoundError(`token ${id} not found`, `Không tìm thấy mã truy cập ${id}`);
  }

  purgeExpiredSessions(): number {
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
    app.decorate('users', new UsersService(drizzleUserRepository(app.database.db), {
      sessionTtlMinutes: app.config.sessionTtlMinutes,
      apiTokenTtlDays: app.config.apiTokenTtlDays,
      apiTokenMaxDays: app.config.apiTokenMaxDays,
      clock: app.clock,
    }));
  },
  { name: 'users', fastify: '5.x', dependencies: ['database'] },
);
