import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CheckpointId, CitizenId, Direction, LaneId, Millis, Plate, Province, StationId, VerdictSchema } from '../../shared/contracts/common.js';
import { ReasonCodeSchema } from '../../shared/contracts/journal.js';
import { requireUser } from '../auth/access.js';
import { ValidationError } from '../domain-errors.js';
import { PageQuery } from './schemas.js';
import { readerProvinces, subjectOf } from '../services/audit/filters.js';

const PassId = Type.Integer({ minimum: 1, maximum: 2 ** 40 });
const Filter = {
  plate: Type.Optional(Plate),
  citizenId: Type.Optional(CitizenId),
  passId: Type.Optional(PassId),
  passProvince: Type.Optional(Province),
  checkpointId: Type.Optional(CheckpointId),
  stationId: Type.Optional(StationId),
  lane: Type.Optional(LaneId),
  direction: Type.Optional(Direction),
  verdict: Type.Optional(VerdictSchema),
  reason: Type.Optional(ReasonCodeSchema),
  kind: Type.Optional(Type.Union([Type.Literal('scan'), Type.Literal('crossing'), Type.Literal('override')])),
  from: Type.Optional(Millis),
  to: Type.Optional(Millis),
};
const FilterQuery = Type.Object(Filter, { additionalProperties: false });
const SearchQuery = Type.Object({
  ...Filter, ...PageQuery, limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  order: Type.Optional(Type.Union([Type.Literal('desc'), Type.Literal('asc')])),
}, { additionalProperties: false });
const TraceQuery = Type.Object({
  plate: Type.Optional(Plate),
  citizenId: Type.Optional(CitizenId),
  passId: Type.Optional(PassId),
  /** with passId: the issuing province; a pass is both (without it, every province's pass of that id) */
  passProvince: Type.Optional(Province),
  windowMinutes: Type.Integer({ minimum: 0, maximum: 240, default: 10 }),
  from: Type.Optional(Millis),
  to: Type.Optional(Millis),
}, { additionalProperties: false });

/** The command center's audit of crossings. Personal-data reads are access-logged inside the service. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const command = { roles: ['command'] as const };
  const watchers = { roles: ['command', 'admin'] as const };

  /**
   * The service logs what was asked for (the query's subject); these log whose data came back, so a
   * search by checkpoint or a trace's co-travellers name each person and vehicle shown.
   */
  const logRows = async (request: FastifyRequest, action: string, rows: readonly { citizenId?: string | null; plate: string | null }[],
    asked: { citizenId?: string | undefined; plate?: string | undefined } = {}) => {
    // the subject asked for is already in the service's row
    const people = rows.flatMap((r) => (r.citizenId && r.citizenId !== asked.citizenId ? [r.citizenId] : []));
    const vehicles = rows.flatMap((r) => (r.plate && r.plate !== asked.plate ? [r.plate] : []));
    if (people.length > 0) await app.accessLog.recordMany(request, { action, subjectType: 'person' }, people);
    if (vehicles.length > 0) await app.accessLog.recordMany(request, { action, subjectType: 'vehicle' }, vehicles);
  };

  app.get('/api/v1/crossings', { config: { access: command }, schema: { tags: ['audit'], querystring: SearchQuery } }, async (request) => {
    const { limit, offset, order, ...f } = request.query;
    const page = await app.audit.search(request, f, limit, offset, order);
    await logRows(request, 'crossings.search.results', page.items, f);
    return page;
  });

  app.get('/api/v1/crossings/live', {
    config: { access: command },
    schema: {
      tags: ['audit'],
      summary: 'Live feed: one row per crossing (vehicle with its crew, or walk-in) with its verdict, newest first; today\'s totals per checkpoint',
      querystring: Type.Object({ ...Filter, limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { limit, ...f } = request.query;
    const live = await app.audit.live(request, f, limit);
    await logRows(request, 'crossings.live.results', live.items.flatMap((c) => [c, ...c.crew.map((p) => ({ citizenId: p.citizenId, plate: null }))]), f);
    return live;
  });

  app.get('/api/v1/crossings/export.csv', { config: { access: command }, schema: { tags: ['audit'], querystring: FilterQuery } }, async (request, reply) => {
    requireUser(request);
    reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="crossings.csv"');
    return reply.send(Readable.from(app.audit.exportCsv(request, request.query)));
  });

  app.get('/api/v1/trace', { config: { access: command }, schema: { tags: ['audit'], querystring: TraceQuery } }, async (request) => {
    const { plate, citizenId, passId, passProvince, windowMinutes, from, to } = request.query;
    const given = [plate, citizenId, passId].filter((v) => v !== undefined).length;
    if (given !== 1) throw new ValidationError('give exactly one of plate, citizenId, passId', 'Cần đúng một trong: biển số, số CCCD, mã giấy phép');
    const subject = plate !== undefined ? { plate } : citizenId !== undefined ? { citizenId } : { passId: passId!, passProvince };
    const trace = await app.audit.trace(request, subject, windowMinutes, { from, to });
    await logRows(request, 'trace.results', [...trace.crossings, ...trace.coTravellers, ...trace.nearbyVehicles], { plate, citizenId });
    return trace;
  });

  app.get('/api/v1/crossings/overdue', {
    config: { access: command },
    schema: { tags: ['audit'], querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }) }, { additionalProperties: false }) },
  }, async (request) => {
    const items = await app.audit.overdue(request, readerProvinces(requireUser(request)), request.query.limit);
    await logRows(request, 'crossings.overdue.results', items);
    return { items };
  });

  app.get('/api/v1/stats/crossings', { config: { access: watchers }, schema: { tags: ['audit'], querystring: FilterQuery } }, async (request) => {
    const counts = await app.audit.counts(requireUser(request), request.query);
    // Counts for one plate, person or pass say where they went: a read of their data.
    const subject = subjectOf(request.query);
    if (subject.subjectId !== null) await app.accessLog.record(request, { action: 'crossings.stats', ...subject });
    return counts;
  });

  app.get('/api/v1/access-log', {
    config: { access: { roles: ['admin'] } },
    schema: {
      tags: ['audit'],
      querystring: Type.Object({
        userId: Type.Optional(Type.Integer({ minimum: 1 })),
        subjectType: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
        subjectId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        from: Type.Optional(Millis),
        to: Type.Optional(Millis),
        ...PageQuery,
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const page = await app.accessLog.list(requireUser(request), request.query);
    // The log names people and what they looked at: reading it is logged too, per user it shows.
    await app.accessLog.recordMany(request, { action: 'access-log.read', subjectType: 'user' }, page.items.flatMap((e) => (e.userId === null ? [] : [e.userId])));
    return page;
  });

  // Runs the hourly retention sweep now (for operators and tests with a controlled clock).
  app.post('/api/v1/admin/retention/run', { config: { access: { roles: ['admin'], minScope: 'server' } }, schema: { tags: ['admin'] } }, async () =>
    app.retention.purgePersonalData());
};
export default routes;
