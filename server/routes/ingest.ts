import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BatchAckSchema, MAX_BATCH_RECORDS, UploadBatchSchema } from '../../shared/contracts/journal.js';
import { requireStation } from '../auth/access.js';
import { estimateRecords, IngestBusyError, type AdmissionTicket } from '../services/ingest/admission.js';

/**
 * Stations' journal uploads. This plugin is encapsulated (not fp) so its plain JSON parser applies
 * here only: the default parser's prototype-poisoning scan costs a regex pass over every body, and
 * here every record is checked against a closed schema (additionalProperties: false) anyway, so a
 * `__proto__` or `constructor` key is rejected as an unknown field.
 *
 * Admission control (services/ingest/admission.ts) refuses an upload in its onRequest hook, right
 * after the station's credential is checked and before its body is read or parsed, so a refusal
 * costs almost nothing. The unread body is drained by Node after the answer, so the connection
 * stays open for the station's next request.
 */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      const err = new Error(`body is not valid JSON: ${(e as Error).message}`) as Error & { statusCode: number; code: string };
      err.statusCode = 400;
      err.code = 'INVALID_JSON';
      done(err, undefined);
    }
  });

  const admission = app.ingestAdmission;
  /** each admitted request's hold; `queued` once its batch is handed to the group commit, whose answer then releases it */
  const held = new WeakMap<FastifyRequest, { ticket: AdmissionTicket; queued: boolean }>();

  app.post('/api/v1/ingest/batches', {
    config: { access: 'station' },
    schema: { tags: ['station API'], body: UploadBatchSchema, response: { 200: BatchAckSchema } },
    onRequest: async (request) => {
      const length = request.headers['content-length'];
      const ticket = admission.admit(estimateRecords(length === undefined ? undefined : Number(length), MAX_BATCH_RECORDS));
      if (ticket) {
        held.set(request, { ticket, queued: false });
        return;
      }
      app.metrics.ingestRefused.inc();
      // the error handler sends its retryAfterSeconds as the Retry-After header too
      throw new IngestBusyError(admission.retryAfterSeconds());
    },
    // refused before the handler (credential, validation) or answered: the hold ends
    onResponse: async (request) => held.get(request)?.ticket.done(false),
    // a station that gave up does not shorten the queue: a batch in the group commit is still stored
    onRequestAbort: async (request) => {
      const h = held.get(request);
      if (h && !h.queued) h.ticket.done(false);
    },
  }, async (request) => {
    const h = held.get(request);
    if (h) {
      h.queued = true;
      h.ticket.settle(request.body.records.length);
    }
    try {
      const ack = await app.ingest.ingestGrouped(requireStation(request), request.body);
      h?.ticket.done(true);
      return ack;
    } finally {
      h?.ticket.done(false);
    }
  });
};
export default routes;
