import fp from 'fastify-plugin';
import type { AuthUser } from '../../auth/access.js';
import { sqliteAccessLogRepository, type AccessLogEntry, type AccessLogQuery, type AccessLogRepository } from './repository.js';

export interface AccessRecord {
  /** what was done, e.g. 'crossings.search', 'pass.read', 'person.health.read' */
  action: string;
  /** what kind of personal data, e.g. 'crossing', 'pass', 'person', 'vehicle' */
  subjectType: string;
  /** which one (citizen id, plate, pass id...), or null for a search over many */
  subjectId?: string | number | null;
}

/** Who is reading: a FastifyRequest fits, so routes pass `request`; services need no HTTP types. */
export interface Reader {
  readonly user: AuthUser | null;
  readonly method: string;
  readonly url: string;
  readonly ip?: string | undefined;
}

export class AccessLogService {
  constructor(private readonly repo: AccessLogRepository, private readonly clock: () => number) {}

  /** Record a read of personal data by a person. Station and anonymous callers are not people: nothing is written. */
  record(request: Reader, what: AccessRecord): void {
    const user = request.user;
    if (!user) return;
    this.repo.insert({
      at: this.clock(),
      userId: user.id,
      username: user.username,
      role: user.role,
      action: what.action,
      subjectType: what.subjectType,
      subjectId: what.subjectId === undefined || what.subjectId === null ? null : String(what.subjectId),
      method: request.method,
      url: request.url.slice(0, 2000),
      ip: request.ip ?? null,
    });
  }

  /** An admin reads the log of their own province's users. */
  list(admin: AuthUser, q: AccessLogQuery): { items: AccessLogEntry[]; total: number } {
    return this.repo.list(admin.province, q);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly accessLog: AccessLogService;
  }
}

export default fp(
  async (app) => {
    app.decorate('accessLog', new AccessLogService(sqliteAccessLogRepository(app.database.sqlite), app.clock));
  },
  { name: 'access-log', fastify: '5.x', dependencies: ['database'] },
);
