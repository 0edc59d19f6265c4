import { assertForwardRange } from '../audit/filters.js';
import fp from 'fastify-plugin';
import { scopeOf, type AuthUser } from '../../auth/access.js';
import { scopeFilter } from '../../auth/scope.js';
import { sqlAccessLogRepository, type AccessLogEntry, type AccessLogQuery, type AccessLogRepository } from './repository.js';

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

/** Above this many subjects, a bulk read is logged once with its count and query instead of once per subject. */
export const MANY_SUBJECTS = 100;

export interface KeyCreatedEntry {
  kid: string;
  role: string;
  province: number | null;
  at: number;
  by: { userId: number; username: string; role: string } | { system: string };
  via: { method: string; url: string; ip?: string | null };
}

export class AccessLogService {
  constructor(private readonly repo: AccessLogRepository, private readonly clock: () => number) {}

  /** Record a read of personal data by a person. Station and anonymous callers are not people: nothing is written. */
  async record(request: Reader, what: AccessRecord): Promise<void> {
    const user = request.user;
    if (!user) return;
    await this.repo.insert({
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

  /**
   * A read of many people's data (a list, a search, a write that answers with the record): one entry
   * per subject, so the log can say whose data was read; past MANY_SUBJECTS, one entry carrying the
   * count (the URL keeps the query). Nothing found is still recorded once: the lookup itself is a use.
   */
  async recordMany(request: Reader, what: Omit<AccessRecord, 'subjectId'>, subjectIds: readonly (string | number)[]): Promise<void> {
    const ids = [...new Set(subjectIds.map(String))];
    if (ids.length === 0) return this.record(request, { ...what, subjectId: null });
    if (ids.length > MANY_SUBJECTS) return this.record(request, { ...what, subjectId: `${ids.length} records` });
    await this.repo.transaction(async () => {
      for (const id of ids) await this.record(request, { ...what, subjectId: id });
    });
  }

  /**
   * A key-management act (a signing key made). Not a read of personal data, but kept in the same log
   * so that an admin sees who made which key; an operator's command has no user id.
   */
  async recordKeyCreated(e: KeyCreatedEntry): Promise<void> {
    const how = e.via;
    const person = 'system' in e.by ? null : e.by;
    await this.repo.insert({
      at: e.at,
      userId: person?.userId ?? null,
      username: person?.username ?? `system:${'system' in e.by ? e.by.system : ''}`,
      role: person?.role ?? 'system',
      action: 'key.create',
      subjectType: 'signing-key',
      subjectId: `${e.role}${e.province === null ? '' : `/${e.province}`} ${e.kid}`,
      method: how.method,
      url: how.url.slice(0, 2000),
      ip: how.ip ?? null,
    });
  }

  /** An admin reads the log of the users inside its own area. */
  list(admin: AuthUser, q: AccessLogQuery): Promise<{ items: AccessLogEntry[]; total: number }> {
    assertForwardRange(q);
    return this.repo.list(scopeFilter(scopeOf(admin)), q);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly accessLog: AccessLogService;
  }
}

export default fp(
  async (app) => {
    app.decorate('accessLog', new AccessLogService(sqlAccessLogRepository(app.database.client), app.clock));
  },
  { name: 'access-log', fastify: '5.x', dependencies: ['database'] },
);
