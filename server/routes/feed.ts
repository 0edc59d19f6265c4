import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DeltaPageSchema, SnapshotPageSchema, SnapshotRequiredSchema } from '../../shared/contracts/feed.js';
import { requireStation } from '../auth/access.js';
import type { FeedAnswer } from '../services/feed/service.js';

const Limit = Type.Integer({ minimum: 1, maximum: 10_000, default: 2000 });

/**
 * The station feed, as the calling station should see it (its checkpoint and province: see
 * services/feed/station-scope.ts). Pages are sent as the JSON text the service assembled from stored items (no
 * re-serialisation: the bench streams millions of records). A cursor the server can no longer
 * continue from is answered 410 with SNAPSHOT_REQUIRED, as the wire contract says.
 */
function send(reply: FastifyReply, answer: FeedAnswer) {
  if (answer.kind === 'snapshotRequired') return reply.status(410).send(answer.body);
  return reply.type('application/json; charset=utf-8').send(answer.json);
}

const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/feed/snapshot', {
    config: { access: 'station' },
    schema: {
      tags: ['feed'],
      summary: 'One snapshot page; omit `page` to start a snapshot (fixes its cursor), then pass each nextPage back',
      querystring: Type.Object({ page: Type.Optional(Type.String({ maxLength: 200 })), limit: Limit }, { additionalProperties: false }),
      response: { 200: SnapshotPageSchema, 410: SnapshotRequiredSchema },
    },
  }, async (request, reply) => send(reply, await app.feed.snapshot(requireStation(request), request.query.page, request.query.limit)));

  app.get('/api/v1/feed/changes', {
    config: { access: 'station' },
    schema: {
      tags: ['feed'],
      summary: 'Changes after a cursor (latest item per key); 410 when the cursor is older than the retained changes',
      querystring: Type.Object({ since: Type.Integer({ minimum: 0 }), limit: Limit }, { additionalProperties: false }),
      response: { 200: DeltaPageSchema, 410: SnapshotRequiredSchema },
    },
  }, async (request, reply) => send(reply, await app.feed.changes(requireStation(request), request.query.since, request.query.limit)));
};
export default routes;
