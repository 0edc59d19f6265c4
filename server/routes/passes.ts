import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../auth/access.js';
import { PassAmendSchema, PassInputSchema, PassMillis, PassSearchSchema, PassViewSchema, type PassView } from '../services/passes/model.js';
import { passSheetHtml, passSheetsHtml } from '../services/passes/sheet.js';
import { qrPng, qrSvg } from '../services/qr/render.js';
import { IdParams, acceptCsvText } from './schemas.js';

const Reason = Type.String({ minLength: 1, maxLength: 500 });
// The schema lets a missing or empty reason through so the service answers with its own message naming the field.
const OptionalReason = Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })]));

/** Transport passes. Transport users act on their own province's passes; admins on any. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  // the province's register: district and commune users have no duty in it
  const issuers = { roles: ['admin', 'transport'] as const, minScope: 'province' as const };
  const readers = { roles: ['admin', 'transport', 'command'] as const, minScope: 'province' as const };
  /** A write that answers with the pass shows its crew (names, citizen ids, phones): logged as a read. */
  const logged = async (request: FastifyRequest, action: string, pass: PassView): Promise<PassView> => {
    await app.accessLog.record(request, { action, subjectType: 'pass', subjectId: pass.passId });
    return pass;
  };

  // Bulk import bodies are CSV text; only the import route accepts them.
  acceptCsvText(app);

  app.post('/api/v1/passes', {
    config: { access: issuers },
    schema: { tags: ['passes'], summary: 'Issue a pass', body: PassInputSchema, response: { 201: PassViewSchema } },
  }, async (request, reply) => reply.status(201).send(await logged(request, 'pass.create', await app.passes.create(requireUser(request), request.body))));

  app.post('/api/v1/passes/import', {
    config: { access: issuers },
    schema: {
      tags: ['passes'],
      summary: 'Bulk issue from CSV (columns: server/services/passes/import.ts); all or nothing, 422 lists each bad row',
      consumes: ['text/csv'],
      body: Type.String({ minLength: 1 }),
      response: { 201: Type.Object({ imported: Type.Integer(), passIds: Type.Array(Type.Integer()) }) },
    },
  }, async (request, reply) => reply.status(201).send(await app.passes.importCsv(requireUser(request), request.body)));

  app.get('/api/v1/passes', {
    config: { access: readers },
    schema: {
      tags: ['passes'],
      summary: 'Search passes: q (plate, company, crew name or citizen id), expiring within N days; sorted and paged (offset, limit; total counts all matches)',
      querystring: PassSearchSchema,
      response: { 200: Type.Object({ items: Type.Array(PassViewSchema), total: Type.Integer(), nextBefore: Type.Union([Type.Null(), Type.Integer()]) }) },
    },
  }, async (request) => {
    const user = requireUser(request);
    const result = await app.passes.search(user, request.query);
    await app.accessLog.recordMany(request, { action: 'passes.search', subjectType: 'pass' }, result.items.map((p) => p.passId));
    return result;
  });

  app.get('/api/v1/passes/:id', {
    config: { access: readers },
    schema: { tags: ['passes'], params: IdParams, response: { 200: PassViewSchema } },
  }, async (request) => {
    const pass = await app.passes.get(requireUser(request), request.params.id);
    await app.accessLog.record(request, { action: 'pass.read', subjectType: 'pass', subjectId: pass.passId });
    return pass;
  });

  app.get('/api/v1/passes/:id/history', {
    config: { access: readers },
    schema: {
      tags: ['passes'],
      summary: 'What was done to the pass, by whom, when and why',
      params: IdParams,
      response: { 200: Type.Array(Type.Object({ version: Type.Integer(), action: Type.String(), reason: Type.Union([Type.Null(), Type.String()]), at: Type.Integer(), by: Type.String() })) },
    },
  }, async (request) => {
    const events = await app.passes.history(requireUser(request), request.params.id);
    await app.accessLog.record(request, { action: 'pass.history', subjectType: 'pass', subjectId: request.params.id });
    return events;
  });

  app.post('/api/v1/passes/:id/amend', {
    config: { access: issuers },
    schema: {
      tags: ['passes'],
      summary: 'Amend: a new version with a new code (the old sheet is superseded)',
      params: IdParams,
      body: Type.Object({ changes: PassAmendSchema, reason: OptionalReason }, { additionalProperties: false }),
      response: { 200: PassViewSchema },
    },
  }, async (request) => logged(request, 'pass.amend', await app.passes.amend(requireUser(request), request.params.id, request.body.changes, request.body.reason ?? null)));

  app.post('/api/v1/passes/:id/extend', {
    config: { access: issuers },
    schema: {
      tags: ['passes'],
      summary: 'Change the validity centrally (validTo null: until further notice); no reprint needed',
      params: IdParams,
      body: Type.Object({ validTo: Type.Union([Type.Null(), PassMillis]), reason: OptionalReason }, { additionalProperties: false }),
      response: { 200: PassViewSchema },
    },
  }, async (request) => logged(request, 'pass.extend', await app.passes.extend(requireUser(request), request.params.id, request.body.validTo, request.body.reason ?? null)));

  for (const action of ['suspend', 'revoke'] as const) {
    app.post(`/api/v1/passes/:id/${action}`, {
      config: { access: issuers },
      schema: { tags: ['passes'], params: IdParams, body: Type.Object({ reason: Reason }, { additionalProperties: false }), response: { 200: PassViewSchema } },
    }, async (request) => logged(request, `pass.${action}`, await app.passes[action](requireUser(request), request.params.id, request.body.reason)));
  }

  app.post('/api/v1/passes/:id/reinstate', {
    config: { access: issuers },
    schema: { tags: ['passes'], params: IdParams, body: Type.Object({ reason: OptionalReason }, { additionalProperties: false }), response: { 200: PassViewSchema } },
  }, async (request) => logged(request, 'pass.reinstate', await app.passes.reinstate(requireUser(request), request.params.id, request.body.reason ?? null)));

  app.get('/api/v1/passes/sheets', {
    config: { access: issuers },
    schema: {
      tags: ['passes'],
      summary: 'Printable sheets of several passes (ids=1,2,3), one A4 page each; 409 when any is not ACTIVE',
      querystring: Type.Object({ ids: Type.String({ pattern: '^[0-9]{1,13}(,[0-9]{1,13}){0,99}$' }) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const ids = [...new Set(request.query.ids.split(',').map(Number))];
    const passes = await app.passes.forPrint(requireUser(request), ids);
    await app.accessLog.recordMany(request, { action: 'pass.sheet', subjectType: 'pass' }, passes.map((p) => p.passId));
    const sheets = await Promise.all(passes.map(async (pass) => ({ pass, qrSvg: await qrSvg(pass.code) })));
    return reply.type('text/html; charset=utf-8').send(passSheetsHtml(sheets));
  });

  app.get('/api/v1/passes/:id/code.png', {
    config: { access: issuers },
    schema: { tags: ['passes'], summary: 'The current code as a PNG QR image', params: IdParams },
  }, async (request, reply) => {
    const pass = await app.passes.get(requireUser(request), request.params.id);
    await app.accessLog.record(request, { action: 'pass.code', subjectType: 'pass', subjectId: pass.passId });
    return reply.type('image/png').send(await qrPng(pass.code));
  });

  app.get('/api/v1/passes/:id/code.svg', {
    config: { access: issuers },
    schema: { tags: ['passes'], summary: 'The current code as an SVG QR image', params: IdParams },
  }, async (request, reply) => {
    const pass = await app.passes.get(requireUser(request), request.params.id);
    await app.accessLog.record(request, { action: 'pass.code', subjectType: 'pass', subjectId: pass.passId });
    return reply.type('image/svg+xml').send(await qrSvg(pass.code));
  });

  app.get('/api/v1/passes/:id/sheet', {
    config: { access: issuers },
    schema: { tags: ['passes'], summary: 'Printable A4 sheet (HTML) with the QR 10 cm wide', params: IdParams },
  }, async (request, reply) => {
    const pass = await app.passes.get(requireUser(request), request.params.id);
    await app.accessLog.record(request, { action: 'pass.sheet', subjectType: 'pass', subjectId: pass.passId });
    return reply.type('text/html; charset=utf-8').send(passSheetHtml(pass, await qrSvg(pass.code)));
  });
};
export default routes;
