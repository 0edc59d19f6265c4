import fp from 'fastify-plugin';
import { scopeOf, type AuthUser } from '../../auth/access.js';
import { scopeFilter, type ScopeFilter } from '../../auth/scope.js';
import { stationScopeSql } from '../../auth/scope-sql.js';
import type { SqlClient, SqlValue } from '../../db/sql-client.js';
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
  list(f: ScopeFilter, q: AlertQuery): Promise<Alert[]>;
  find(f: ScopeFilter, id: number): Promise<Alert | null>;
  acknowledge(id: number, by: number, at: number): Promise<void>;
}

const COLS = `a.id, a.station_id AS "stationId", a.kind, a.seq, a.pass_id AS "passId", a.pass_province AS "passProvince", a.message,
  a.details, a.created_at AS "createdAt", a.acknowledged_at AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy"`;

/** details is JSON text on both engines (server/db/sql-client.ts) */
const alert = (r: Omit<Alert, 'details'> & { details: string | null }): Alert => ({ ...r, details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>) });

export function sqlAlertRepository(client: SqlClient): AlertRepository {
  const select = (f: ScopeFilter, where: string[], params: Record<string, SqlValue>, tail = '') => {
    const scope = stationScopeSql(f, 's.province', 's.station_id');
    return client.all<Omit<Alert, 'details'> & { details: string | null }>(
      `SELECT ${COLS} FROM station_alerts a JOIN stations s ON s.station_id = a.station_id WHERE ${[scope.sql, ...where].join(' AND ')}${tail}`,
      { ...scope.params, ...params },
    );
  };
  return {
    async list(f, q) {
      const where: string[] = [];
      const params: Record<string, SqlValue> = { limit: q.limit, offset: q.offset };
      if (q.kind) {
        where.push('a.kind = @kind');
        params.kind = q.kind;
      }
      if (q.stationId) {
        where.push('a.station_id = @stationId');
        params.stationId = q.stationId;
      }
      if (q.open) where.push('a.acknowledged_at IS NULL');
      return (await select(f, where, params, ' ORDER BY a.id DESC LIMIT @limit OFFSET @offset')).map(alert);
    },
    async find(f, id) {
      const [r] = await select(f, ['a.id = @id'], { id });
      return r ? alert(r) : null;
    },
    async acknowledge(id, by, at) {
      await client.run('UPDATE station_alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL', [at, by, id]);
    },
  };
}

/** Alerts raised by ingest (chain breaks, seq conflicts, clones) for the command centers whose area holds the station. */
export class AlertsService {
  constructor(private readonly repo: AlertRepository, private readonly clock: () => number) {}

  list(actor: AuthUser, q: AlertQuery): Promise<Alert[]> {
    return this.repo.list(scopeFilter(scopeOf(actor)), q);
  }

  async acknowledge(actor: AuthUser, id: number): Promise<Alert> {
    const area = scopeFilter(scopeOf(actor));
    if (!(await this.repo.find(area, id))) throw new NotFoundError(`alert ${id} not found`, `Không tìm thấy cảnh báo ${id}`);
    await this.repo.acknowledge(id, actor.id, this.clock());
    return (await this.repo.find(area, id))!;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly alerts: AlertsService;
  }
}

export default fp(
  async (app) => {
    app.decorate('alerts', new AlertsService(sqlAlertRepository(app.database.client), app.clock));
  },
  { name: 'alerts', fastify: '5.x', dependencies: ['database'] },
);
