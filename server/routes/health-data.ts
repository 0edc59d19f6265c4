import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../auth/access.js';
import { CitizenId, PersonNameInput } from '../../shared/contracts/common.js';
import { TestRecordSchema } from '../../shared/contracts/feed.js';
import { acceptCsvText, ImportBody } from './schemas.js';
import { HEALTH_IMPORT_KINDS } from '../services/health/updates.js';
import { qrPng, qrSvg } from '../services/qr/render.js';
import { healthCodeSheetHtml, healthCodeValidity } from '../services/health/code-sheet.js';

const PersonViewSchema = Type.Object({
  citizenId: Type.String(),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  declaredAt: Type.Union([Type.Integer(), Type.Null()]),
  originZone: Type.Union([Type.String(), Type.Null()]),
  test: Type.Union([TestRecordSchema, Type.Null()]),
  doses: Type.Integer(),
  status: Type.Union([Type.Literal('NONE'), Type.Literal('F0'), Type.Literal('F1')]),
  statusAsOf: Type.Integer(),
  updatedAt: Type.Integer(),
  updatedBy: Type.String(),
});
const PersonParams = Type.Object({ citizenId: CitizenId }, { additionalProperties: false });

/** Health data. Every read of a person by a user is written to the access log. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  // the population's health register is kept at province level and above
  const health = { roles: ['admin', 'health'] as const, minScope: 'province' as const };

  acceptCsvText(app);

  app.post('/api/v1/health/import/:kind', {
    config: { access: health },
    schema: {
      tags: ['health'],
      summary: 'Import declarations, tests or flags as CSV (text/csv) or a JSON array (columns: server/services/health/updates.ts); all or nothing',
      consumes: ['text/csv', 'application/json'],
      params: Type.Object({ kind: Type.Union(HEALTH_IMPORT_KINDS.map((k) => Type.Literal(k))) }, { additionalProperties: false }),
      body: ImportBody,
      response: { 201: Type.Object({ imported: Type.Integer(), changed: Type.Integer() }) },
    },
  }, async (request, reply) => {
    const body: unknown = request.body;
    const input = typeof body === 'string' ? { csv: body } : { json: body };
    return reply.status(201).send(await app.healthData.import(requireUser(request), request.params.kind, input));
  });

  app.get('/api/v1/people', {
    config: { access: health },
    schema: {
      tags: ['health'],
      querystring: Type.Object({
        after: Type.Optional(CitizenId),
        status: Type.Optional(Type.Union([Type.Literal('NONE'), Type.Literal('F0'), Type.Literal('F1')])),
        /** part of a name or a phone number */
        q: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(PersonViewSchema), nextAfter: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    requireUser(request);
    const { q, ...rest } = request.query;
    const result = await app.healthData.list({ ...rest, ...(q !== undefined ? { text: q } : {}) });
    await app.accessLog.recordMany(request, { action: 'people.list', subjectType: 'person' }, result.items.map((p) => p.citizenId));
    return result;
  });

  app.get('/api/v1/people/:citizenId', {
    config: { access: { roles: ['admin', 'health', 'command'], minScope: 'province' } },
    schema: { tags: ['health'], params: PersonParams, response: { 200: PersonViewSchema } },
  }, async (request) => {
    requireUser(request);
    // Logged before the lookup: asking about a person is itself a use of their data.
    await app.accessLog.record(request, { action: 'person.read', subjectType: 'person', subjectId: request.params.citizenId });
    return await app.healthData.get(request.params.citizenId);
  });

  app.patch('/api/v1/people/:citizenId', {
    config: { access: health },
    schema: {
      tags: ['health'],
      summary: "Correct one person's record (name, phone, vaccine doses, F0/F1 status) with a reason; kept as an 'edit' change",
      params: PersonParams,
      body: Type.Object({
        changes: Type.Object({
          name: Type.Optional(PersonNameInput),
          phone: Type.Optional(Type.Union([Type.Null(), Type.String({ pattern: '^\\+?[0-9 .-]{6,20}$' })])),
          doses: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
          status: Type.Optional(Type.Union([Type.Literal('NONE'), Type.Literal('F0'), Type.Literal('F1')])),
        }, { additionalProperties: false, minProperties: 1 }),
        // empty is let through so the service answers naming the field in Vietnamese
        reason: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })])),
      }, { additionalProperties: false }),
      response: { 200: PersonViewSchema },
    },
  }, async (request) => {
    const person = await app.healthData.edit(requireUser(request), request.params.citizenId, request.body.changes, request.body.reason ?? null);
    await app.accessLog.record(request, { action: 'person.edit', subjectType: 'person', subjectId: request.params.citizenId });
    return person;
  });

  app.get('/api/v1/people/:citizenId/history', {
    config: { access: health },
    schema: {
      tags: ['health'],
      summary: "A person's declarations, tests, vaccine doses, flags and edits, newest first, with who and why",
      params: PersonParams,
      response: { 200: Type.Array(Type.Object({ at: Type.Integer(), kind: Type.String(), change: Type.Record(Type.String(), Type.Unknown()), byUser: Type.String(), reason: Type.String() })) },
    },
  }, async (request) => {
    requireUser(request);
    await app.accessLog.record(request, { action: 'person.history', subjectType: 'person', subjectId: request.params.citizenId });
    await app.healthData.get(request.params.citizenId);
    return (await app.healthData.history(request.params.citizenId)).map(({ citizenId: _id, ...c }) => c);
  });

  app.get('/api/v1/people/:citizenId/health-code/sheet', {
    config: { access: health },
    schema: { tags: ['health'], summary: 'Printable health code (HTML) with until when its test and declaration hold', params: PersonParams },
  }, async (request, reply) => {
    requireUser(request);
    await app.accessLog.record(request, { action: 'person.health-code', subjectType: 'person', subjectId: request.params.citizenId });
    const person = await app.healthData.get(request.params.citizenId);
    const { code, body } = await app.healthData.healthCode(request.params.citizenId, requireUser(request).province);
    const validity = healthCodeValidity(body, (await app.policy.current(requireUser(request).province)).policy);
    return reply.type('text/html; charset=utf-8').send(healthCodeSheetHtml(person.name, body, validity, await qrSvg(code)));
  });

  app.delete('/api/v1/people/:citizenId', {
    config: { access: health },
    schema: { tags: ['health'], summary: 'Purge a person (stations drop them too)', params: PersonParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await app.healthData.remove(requireUser(request), request.params.citizenId);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/people/:citizenId/health-code', {
    config: { access: health },
    schema: { tags: ['health'], summary: "Issue the person's signed health code", params: PersonParams, response: { 200: Type.Object({ code: Type.String() }) } },
  }, async (request) => {
    requireUser(request);
    await app.accessLog.record(request, { action: 'person.health-code', subjectType: 'person', subjectId: request.params.citizenId });
    return { code: (await app.healthData.healthCode(request.params.citizenId, requireUser(request).province)).code };
  });

  for (const format of ['png', 'svg'] as const) {
    app.get(`/api/v1/people/:citizenId/health-code.${format}`, {
      config: { access: health },
      schema: { tags: ['health'], summary: `The health code as a ${format.toUpperCase()} QR image`, params: PersonParams },
    }, async (request, reply) => {
      requireUser(request);
      await app.accessLog.record(request, { action: 'person.health-code', subjectType: 'person', subjectId: request.params.citizenId });
      const { code } = await app.healthData.healthCode(request.params.citizenId, requireUser(request).province);
      return format === 'png' ? reply.type('image/png').send(await qrPng(code)) : reply.type('image/svg+xml').send(await qrSvg(code));
    });
  }
};
export default routes;
