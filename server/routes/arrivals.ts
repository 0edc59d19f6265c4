import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../auth/access.js';
import { CitizenId, Millis, PersonNameInput, Province, Zone } from '../../shared/contracts/common.js';
import { TestRecordSchema } from '../../shared/contracts/feed.js';
import { importTemplateCsv } from '../services/csv-import/template.js';
import { DECLARATION_COLUMNS, DECLARATION_EXAMPLE, PHONE_PATTERN } from '../services/arrivals/declarations.js';
import { OUTCOMES } from '../services/arrivals/repository.js';
import { MAX_DAYS } from '../services/arrivals/service.js';
import { acceptCsvText, ImportBody } from './schemas.js';
import { COMMUNE_PATTERN, DISTRICT_PATTERN } from '../auth/scope.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const OutcomeSchema = Type.Union(OUTCOMES.map((o) => Type.Literal(o)));

const ArrivalView = Type.Object({
  id: Type.Integer(),
  citizenId: Type.String(),
  name: Type.String(),
  phone: Nullable(Type.String()),
  originZone: Type.String(),
  originLevel: Type.Integer(),
  province: Type.Integer(),
  district: Type.String(),
  commune: Type.String(),
  address: Type.String(),
  declaredAt: Type.Integer(),
  enteredAt: Type.Integer(),
  stationId: Type.String(),
  checkpointId: Type.Integer(),
  checkpointName: Nullable(Type.String()),
  test: Nullable(TestRecordSchema),
  healthStatus: Nullable(Type.Union([Type.Literal('NONE'), Type.Literal('F0'), Type.Literal('F1')])),
  outcome: Nullable(OutcomeSchema),
  outcomeNote: Nullable(Type.String()),
  outcomeBy: Nullable(Type.String()),
  outcomeAt: Nullable(Type.Integer()),
});

const DeclarationBody = Type.Object({
  citizenId: CitizenId,
  name: PersonNameInput,
  phone: Type.Optional(Type.String({ pattern: PHONE_PATTERN })),
  originZone: Zone,
  /** the destination province; the declaring user's own when absent */
  province: Type.Optional(Province),
  // patterns only (no length bounds), so a short code is answered with the form it needs
  district: Type.String({ pattern: DISTRICT_PATTERN }),
  commune: Type.String({ pattern: COMMUNE_PATTERN }),
  address: Type.String({ minLength: 1, maxLength: 300 }),
  /** when the person declared; now when absent */
  declaredAt: Type.Optional(Millis),
}, { additionalProperties: false });

/**
 * Arrivals for the communes. Reading the lists is the duty of health staff and command centers of the
 * area (a commune user sees its commune, a district its communes, a province all); declarations are
 * written by the province's health staff or an online declaration system with a health account.
 */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const readers = { roles: ['health', 'command'] as const };
  const writers = { roles: ['health'] as const, minScope: 'province' as const };
  const area = {
    /** a national reader names the province */
    province: Type.Optional(Province),
    days: Type.Integer({ minimum: 1, maximum: MAX_DAYS, default: 14 }),
  };

  acceptCsvText(app);

  app.get('/api/v1/arrivals', {
    config: { access: readers },
    schema: {
      tags: ['arrivals'],
      summary: 'People arrived from zones of a level the policy names, for the communes they declared (the reader\'s area); newest entry first',
      querystring: Type.Object({
        ...area,
        show: Type.Union([Type.Literal('unconfirmed'), Type.Literal('all')], { default: 'unconfirmed' }),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 200 }),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(ArrivalView) }) },
    },
  }, async (request) => {
    const items = await app.arrivals.list(requireUser(request), request.query);
    await app.accessLog.recordMany(request, { action: 'arrivals.list', subjectType: 'arrival' }, items.map((a) => a.citizenId));
    return { items };
  });

  app.get('/api/v1/arrivals/summary', {
    config: { access: readers },
    schema: {
      tags: ['arrivals'],
      summary: 'Per commune of the reader\'s area: arrivals, those not followed up, and those not followed up `hours` after entry',
      querystring: Type.Object({ ...area, hours: Type.Integer({ minimum: 0, maximum: 720, default: 24 }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          province: Type.Integer(), hours: Type.Integer(), levels: Type.Array(Type.Integer()),
          communes: Type.Array(Type.Object({
            province: Type.Integer(), district: Type.String(), commune: Type.String(),
            arrivals: Type.Integer(), unconfirmed: Type.Integer(), overdue: Type.Integer(),
          })),
        }),
      },
    },
  }, async (request) => app.arrivals.summary(requireUser(request), request.query));

  app.post('/api/v1/arrivals/:id/outcome', {
    config: { access: readers },
    schema: {
      tags: ['arrivals'],
      summary: 'The commune\'s follow-up: contacted and monitored, or not found (recorded with who and when)',
      params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }, { additionalProperties: false }),
      body: Type.Object({ outcome: OutcomeSchema, note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) }, { additionalProperties: false }),
      response: { 200: ArrivalView },
    },
  }, async (request) => {
    const arrival = await app.arrivals.setOutcome(requireUser(request), request.params.id, request.body.outcome, request.body.note ?? null);
    await app.accessLog.record(request, { action: 'arrival.outcome', subjectType: 'arrival', subjectId: arrival.citizenId });
    return arrival;
  });

  app.post('/api/v1/arrivals/declarations', {
    config: { access: writers },
    schema: {
      tags: ['arrivals'],
      summary: 'One declaration of where an arriving person is going (a newer one replaces the older)',
      body: DeclarationBody,
      response: { 201: Type.Object({ changed: Type.Boolean() }) },
    },
  }, async (request, reply) => {
    const values = { ...request.body, declaredAt: request.body.declaredAt ?? app.clock() };
    const { changed } = await app.arrivals.declare(requireUser(request), values);
    return reply.status(201).send({ changed });
  });

  app.post('/api/v1/arrivals/declarations/import', {
    config: { access: writers },
    schema: {
      tags: ['arrivals'],
      summary: 'Import declarations as CSV (text/csv, Vietnamese headers as in the template) or a JSON array; all or nothing',
      consumes: ['text/csv', 'application/json'],
      body: ImportBody,
      response: { 201: Type.Object({ imported: Type.Integer(), changed: Type.Integer() }) },
    },
  }, async (request, reply) => {
    const body: unknown = request.body;
    return reply.status(201).send(await app.arrivals.import(requireUser(request), typeof body === 'string' ? { csv: body } : { json: body }));
  });

  app.get('/api/v1/arrivals/declarations/template.csv', { config: { access: writers }, schema: { tags: ['arrivals'] } }, async (_request, reply) =>
    reply.headers({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="mau-nhap-khai-bao-noi-den.csv"' })
      .send(importTemplateCsv(DECLARATION_COLUMNS, DECLARATION_EXAMPLE)));
};
export default routes;
