import fp from 'fastify-plugin';
import { scopeOf, type AuthUser } from '../../auth/access.js';
import { provinceWide, scopeFilter } from '../../auth/scope.js';
import { UnauthorizedError, ValidationError } from '../../domain-errors.js';
import type { AccessLogService, Reader } from '../access-log/service.js';
import { CROSSINGS_CSV_HEADER, CSV_BOM, crossingCsvLine } from './crossings-csv.js';
import { assertForwardRange, subjectOf, type CrossingFilter, type ProvinceFilter } from './filters.js';
import { TripsService } from './trips-service.js';
import { totalsByCheckpoint, withCrew, type CheckpointTotals, type VehicleCrossing } from './live-feed.js';
import { vnDay, vnDayStart } from '../../../shared/time/vietnam-time.js';
import { auditRepository, type AuditRepository, type CountRow, type CrossingRow, type OverdueRow } from './repository.js';

export type TraceSubject = { citizenId: string } | { plate: string } | { passId: number };

export interface Trace {
  crossings: CrossingRow[];
  /** others in the same crossings (same station and crossing id) */
  coTravellers: CrossingRow[];
  /** vehicles at the same station and lane within ±windowMinutes of each of the subject's crossings */
  nearbyVehicles: CrossingRow[];
  truncated: boolean;
}

export interface AuditOptions {
  clock: () => number;
  defaultMaxStayHours: number;
  /** province code → transit allowance in hours */
  transitHours: ReadonlyMap<number, number>;
  retentionDays: number;
}

const HOUR = 3_600_000;
const MAX_COUNT_SPAN = 93 * 24 * HOUR;
const TRACE_LIMIT = 500;
export const EXPORT_MAX_ROWS = 100_000;
/** A search's total is counted up to this many rows, then shown as "more than". */
const COUNT_CAP = 10_000;

/** The reader's area: a national command center reads every province, a district's its own checkpoints. */
const areaOf = (actor: AuthUser) => scopeFilter(scopeOf(actor));

const actorOf = (reader: Reader): AuthUser => {
  if (!reader.user) throw new UnauthorizedError('audit reads need a signed-in person', 'Cần đăng nhập');
  return reader.user;
};

/**
 * The command center's reads of the journal, limited to the reader's area (server/auth/scope.ts). Every read that
 * returns personal data is written to the access log here, so no route can forget it.
 */
export class AuditService {
  constructor(private readonly repo: AuditRepository, private readonly accessLog: AccessLogService, private readonly opts: AuditOptions) {}

  /** One page of crossings, newest first unless asked otherwise, with how many match (up to COUNT_CAP). */
  async search(reader: Reader, f: CrossingFilter, limit: number, offset: number, order: 'asc' | 'desc' = 'desc'):
    Promise<{ items: CrossingRow[]; hasMore: boolean; total: number; totalCapped: boolean }> {
    const actor = actorOf(reader);
    assertForwardRange(f);
    const [rows, counted] = await Promise.all([this.repo.search(areaOf(actor), f, limit + 1, offset, order), this.repo.count(areaOf(actor), f, COUNT_CAP + 1)]);
    await this.accessLog.record(reader, { action: 'crossings.search', ...subjectOf(f) });
    return { items: rows.slice(0, limit), hasMore: rows.length > limit, total: Math.min(counted, COUNT_CAP), totalCapped: counted > COUNT_CAP };
  }

  /**
   * The live feed: one row per closed crossing (a vehicle with its crew, or a walk-in), override or lone scan, newest first in
   * the stations' own order, with the day's totals per checkpoint (the Vietnam day of `now`).
   */
  async live(reader: Reader, f: CrossingFilter, limit: number): Promise<{ items: VehicleCrossing[]; today: CheckpointTotals[]; day: string }> {
    const actor = actorOf(reader);
    assertForwardRange(f);
    const crossings = await this.repo.search(areaOf(actor), { ...f, decisionsOnly: true }, limit, 0, 'desc');
    // each vehicle's crew read at once (withCrew asks only for closed crossings)
    const crews = await Promise.all(crossings.map((c) =>
      c.crossingId !== null && c.kind === 'crossing' ? this.repo.sameCrossing(areaOf(actor), c.stationId, c.crossingId, c.seq) : []));
    const crewOf = new Map(crossings.map((c, i) => [c, crews[i]!]));
    const items = withCrew(crossings, (c) => crewOf.get(c) ?? []);
    const day = vnDay(this.opts.clock());
    const start = vnDayStart(day);
    const today = totalsByCheckpoint(await this.repo.crossingTotals(areaOf(actor), start, start + 24 * HOUR));
    await this.accessLog.record(reader, { action: 'crossings.live', ...subjectOf(f) });
    return { items, today, day };
  }

  async trace(reader: Reader, subject: TraceSubject, windowMinutes: number, range: { from?: number | undefined; to?: number | undefined }): Promise<Trace> {
    const actor = actorOf(reader);
    const f: CrossingFilter = { ...subject, from: range.from, to: range.to };
    const crossings = await this.repo.search(areaOf(actor), f, TRACE_LIMIT + 1, 0);
    const truncated = crossings.length > TRACE_LIMIT;
    crossings.length = Math.min(crossings.length, TRACE_LIMIT);
    const own = (r: CrossingRow) =>
      ('citizenId' in subject && r.citizenId === subject.citizenId) ||
      ('plate' in subject && r.plate === subject.plate) ||
      ('passId' in subject && r.passId === subject.passId);
    const key = (r: CrossingRow) => `${r.stationId}#${r.seq}`;
    const co = new Map<string, CrossingRow>();
    const near = new Map<string, CrossingRow>();
    const seenCrossing = new Set<string>();
    const windowMs = windowMinutes * 60_000;
    for (const c of crossings) {
      if (c.crossingId && !seenCrossing.has(`${c.stationId}#${c.crossingId}`)) {
        seenCrossing.add(`${c.stationId}#${c.crossingId}`);
        for (const r of await this.repo.sameCrossing(areaOf(actor), c.stationId, c.crossingId, c.seq)) if (!own(r)) co.set(key(r), r);
      }
      const lane = { checkpointId: c.checkpointId, stationId: c.stationId, lane: c.lane };
      for (const r of await this.repo.sameLane(areaOf(actor), lane, c.at - windowMs, c.at + windowMs, 200)) {
        if (!own(r) && r.plate !== c.plate) near.set(key(r), r);
      }
    }
    await this.accessLog.record(reader, { action: 'trace', ...subjectOf(subject) });
    return { crossings, coTravellers: [...co.values()], nearbyVehicles: [...near.values()], truncated };
  }

  /** Vehicles inside a province past its transit allowance, per province of `provinces`. */
  async overdue(reader: Reader, provinces: ProvinceFilter, limit: number): Promise<OverdueRow[]> {
    const actor = actorOf(reader);
    const scope = scopeOf(actor);
    let rows: OverdueRow[];
    if (provinceWide(scope)) rows = await this.overdueRows(provinces, limit);
    else {
      // a district or commune reader: the vehicles that entered its province at its own checkpoints
      const here = await this.repo.stationIdsIn(scopeFilter(scope));
      rows = (await this.overdueRows([actor.province], 100_000)).filter((r) => here.has(r.stationId)).slice(0, limit);
    }
    await this.accessLog.record(reader, { action: 'crossings.overdue', subjectType: 'vehicle', subjectId: null });
    return rows;
  }

  /** Vehicles overdue now, counted per checkpoint of entry: numbers only, so no access-log entry. */
  async overdueCounts(province: number): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const r of await this.overdueRows([province], 100_000)) out.set(r.checkpointId, (out.get(r.checkpointId) ?? 0) + 1);
    return out;
  }

  private overdueRows(provinces: ProvinceFilter, limit: number): Promise<OverdueRow[]> {
    const now = this.opts.clock();
    return this.repo.overdue(provinces, {
      now, since: now - this.opts.retentionDays * 24 * HOUR, defaultHours: this.opts.defaultMaxStayHours, transitHours: this.opts.transitHours, limit,
    });
  }

  /** Aggregates only: no personal data, so no access-log entry. */
  async counts(actor: AuthUser, f: CrossingFilter): Promise<{ perCheckpointHour: CountRow[]; perReason: { reason: string; count: number }[] }> {
    assertForwardRange(f);
    const to = f.to ?? this.opts.clock();
    const from = f.from ?? to - 24 * HOUR;
    if (to - from > MAX_COUNT_SPAN || to < from) {
      throw new ValidationError('time range must be forward and at most 93 days', 'Khoảng thời gian phải hợp lệ và không quá 93 ngày');
    }
    const scoped = { ...f, from, to };
    const perReason = new Map<string, number>();
    for (const { reasons, n } of await this.repo.countsPerReasonSet(areaOf(actor), scoped)) {
      for (const r of reasons) perReason.set(r, (perReason.get(r) ?? 0) + n);
    }
    return {
      perCheckpointHour: await this.repo.countsPerCheckpointHour(areaOf(actor), scoped),
      perReason: [...perReason].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    };
  }

  /** CSV in time order, read in keyset pages so the connection is never held between pages. */
  /** Checked before the first byte goes out: a bad range is a 400, not a cut-off download. */
  exportCsv(reader: Reader, f: CrossingFilter): AsyncGenerator<string> {
    assertForwardRange(f);
    return this.csvLines(reader, f);
  }

  private async *csvLines(reader: Reader, f: CrossingFilter): AsyncGenerator<string> {
    const actor = actorOf(reader);
    await this.accessLog.record(reader, { action: 'crossings.export', ...subjectOf(f) });
    yield CSV_BOM + CROSSINGS_CSV_HEADER;
    let after: { at: number; stationId: string; seq: number } | null = null;
    let sent = 0;
    while (sent < EXPORT_MAX_ROWS) {
      const page: CrossingRow[] = await this.repo.pageAfter(areaOf(actor), f, after, Math.min(2000, EXPORT_MAX_ROWS - sent));
      if (page.length === 0) return;
      let chunk = '';
      for (const r of page) {
        chunk += crossingCsvLine(r);
      }
      yield chunk;
      sent += page.length;
      const last = page[page.length - 1]!;
      after = { at: last.at, stationId: last.stationId, seq: last.seq };
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly audit: AuditService;
    readonly trips: TripsService;
  }
}

export default fp(
  async (app) => {
    // every audit query is a read: on the streaming replica when DATABASE_READ_URL names one (it may lag by a moment)
    const repo = auditRepository(app.database.reader);
    const opts = {
      clock: app.clock,
      defaultMaxStayHours: app.config.defaultMaxStayHours,
      transitHours: app.config.transitHours,
      retentionDays: app.config.retentionDays,
    };
    app.decorate('audit', new AuditService(repo, app.accessLog, opts));
    app.decorate('trips', new TripsService(repo, app.accessLog, opts));
  },
  { name: 'audit', fastify: '5.x', dependencies: ['database', 'access-log'] },
);
