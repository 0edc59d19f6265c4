import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CitizenId, Millis, Plate } from '../../shared/contracts/common.js';
import { ValidationError } from '../domain-errors.js';
import { contactsCsv } from '../services/audit/contacts-csv.js';
import { MAX_FLAG } from '../services/audit/contacts-service.js';

const ContactsQuery = Type.Object({
  plate: Type.Optional(Plate),
  citizenId: Type.Optional(CitizenId),
  windowMinutes: Type.Integer({ minimum: 0, maximum: 240, default: 10 }),
  from: Type.Optional(Millis),
  to: Type.Optional(Millis),
}, { additionalProperties: false });

const FlagBody = Type.Object({
  citizenIds: Type.Array(CitizenId, { minItems: 1, maxItems: MAX_FLAG }),
  reason: Type.String({ minLength: 3, maxLength: 500 }),
  caseCitizenId: Type.Optional(CitizenId),
  /** names (and phones) of contacts the health authority does not know yet, as the contact list showed them */
  names: Type.Optional(Type.Record(Type.String({ pattern: '^(\\d{9}|\\d{12})$' }), Type.Object({
    name: Type.String({ minLength: 1, maxLength: 120 }),
    phone: Type.Union([Type.Null(), Type.String({ maxLength: 20 })]),
  }, { additionalProperties: false }), { maxProperties: MAX_FLAG })),
}, { additionalProperties: false });

function subjectOf(q: { plate?: string | undefined; citizenId?: string | undefined }): { citizenId: string } | { plate: string } {
  if ((q.plate === undefined) === (q.citizenId === undefined)) {
    throw new ValidationError('give exactly one of plate, citizenId', 'Cần đúng một trong: biển số, số CCCD');
  }
  return q.citizenId !== undefined ? { citizenId: q.citizenId } : { plate: q.plate! };
}

/** Tracing as a contact list (JSON, CSV) and flagging the contacts F1. Reads are access-logged in the service. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tracers = { roles: ['command'] as const };

  app.get('/api/v1/trace/contacts', { config: { access: tracers }, schema: { tags: ['audit'], querystring: ContactsQuery } }, async (request) => {
    const { windowMinutes, from, to } = request.query;
    return app.contacts.list(request, subjectOf(request.query), windowMinutes, { from, to });
  });

  app.get('/api/v1/trace/contacts.csv', { config: { access: tracers }, schema: { tags: ['audit'], querystring: ContactsQuery } }, async (request, reply) => {
    const { windowMinutes, from, to } = request.query;
    const list = await app.contacts.list(request, subjectOf(request.query), windowMinutes, { from, to });
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="danh-sach-tiep-xuc.csv"').send(contactsCsv(list));
  });

  app.post('/api/v1/trace/flag-f1', { config: { access: { roles: ['command', 'health'] as const, minScope: 'province' as const } }, schema: { tags: ['audit'], body: FlagBody } }, async (request) =>
    app.contacts.flagF1(request, request.body));
};
export default routes;
