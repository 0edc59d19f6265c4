import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import fp from 'fastify-plugin';
import { scopeOf, type AuthUser } from '../../auth/access.js';
import { scopeFilter, type ScopeFilter } from '../../auth/scope.js';
import { scopeWhere } from '../../auth/scope-sql.js';
import type { ServerDb } from '../../db/database.js';
import { stationAlerts, stations } from '../../db/schema/index.js';
import { NotFoundError } from '../../domain-errors.js';

export type AlertKind = 'CHAIN_BREAK' | 'SEQ_CONFLICT' | 'CLONE' | 'INVALID_RECORD';

export interface Alert {
  id: number;
  stationId: string | null;
  kind: AlertKind;
  seq: number | null;
  passId: number | null;
  passProvince: number | null;
  message: string;
  details: Record<string, unknown> | null;
  createdAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: number | null;
}

export interface AlertQuery {
  kind?: AlertKind | undefined;
  stationId?: string | undefined;
  open?: boolean | undefined;
  limit: number;
  offset: number;
}

export interface AlertRepository {
  list(f: ScopeFilter, q: AlertQuery): Alert[];
  find(f: ScopeFilter, id: number): Alert | null;
  acknowledge(id: number, by: number, at: number): void;
}

const cols = {
  id: stationAlerts.id, stationId: stationAlerts.stationId, kind: stationAlerts.kind, seq: stationAlerts.seq,
  passId: stationAlerts.passId, passProvince: stationAlerts.passProvince, message: stationAlerts.message, details: stationAlerts.details,
  createdAt: stationAlerts.createdAt, acknowledgedAt: stationAlerts.acknowledgedAt, acknowledgedBy: stationAlerts.acknowledgedBy,
};

export function drizzleAlertRepository(db: ServerDb): AlertRepository {
  const base = (f: ScopeFilter, extra: (SQL | undefined)[]) =>
    db.select(cols).from(stationAlerts).innerJoin(stations, eq(stations.stationId, stationAlerts.stationId))
      .where(and(scopeWhere(f, stations), ...extra));
  return {
    list: (f, q) =>
      base(f, [
        q.kind ? eq(stationAlerts.kind, q.kind) : undefined,
        q.stationId ? eq(stationAlerts.stationId, q.stationId) : undefined,
        q.open ? isNull(stationAlerts.acknowledgedAt) : undefined,
      ]).orderBy(desc(stationAlerts.id)).limit(q.limit).offset(q.offset).all(),
    find: (f, id) => base(f, [eq(stationAlerts.id, id)]).get() ?? null,
    acknowledge: (id, by, at) =>
      void db.update(stationAlerts).set({ acknowledgedAt: at, acknowledgedBy: by }).where(and(eq(stationAlerts.id, id), isNull(stationAlerts.acknowledgedAt))).run(),
  };
}

/** Alerts raised by ingest (chain breaks, seq conflicts, clones) for the command centers whose area holds the station. */
export class AlertsService {
  constructor(private readonly repo: AlertRepository, private readonly clock: () => number) {}

  list(actor: AuthUser, q: AlertQuery): Alert[] {
    return this.repo.list(scopeFilter(scopeOf(actor)), q);
  }

  acknowledge(actor: AuthUser, id: number): Alert {
    const area = scopeFilter(scopeOf(actor));
    if (!this.repo.find(area, id)) throw new NotFoundError(`alert ${id} not found`, `Không tìm thấy cảnh báo ${id}`);
    this.repo.acknowledge(id, actor.id, this.clock());
    return this.repo.find(area, id)!;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly alerts: AlertsService;
  }
}

export default fp(
  async (app) => {
    app.decorate('alerts', new AlertsService(drizzleAlertRepository(app.database.db), app.clock));
  },
  { name: 'alerts', fastify: '5.x', dependencies: ['database'] },
);
