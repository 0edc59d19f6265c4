import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BatchAckSchema, UploadBatchSchema } from '../../shared/contracts/journal.js';
import { requireStation } from '../auth/access.js';

/**
 * Stations' journal uploads. This plugin is encapsulated (not fp) so its plain JSON parser applies
 * here only: the default parser's prototype-poisoning scan costs a regex pass over every body, and
 * here every record is checked against a closed schema (additionalProperties: false) anyway, so a
 * `__proto__` or `constructor` key is rejected as an unknown field.
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

  app.post('/api/v1/ingest/batches', {
    config: { access: 'station' },
    schema: { tags: ['station API'], body: UploadBatchSchema, response: { 200: BatchAckSchema } },
  }, (request) => app.ingest.ingestGrouped(requireStation(request), request.body));
};
export default routes;
