import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { FeedWaitSchema } from '../../shared/contracts/feed.js';
import { requireStation } from '../auth/access.js';

/**
 * The feed's doorbell for connected stations: held until the head passes `since` or `waitMs` runs
 * out, so a revocation or an F0 flag reaches every connected station in about a second. The station
 * then fetches /api/v1/feed/changes as usual; polling on its sync interval stays the fallback.
 */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/feed/wait', {
    config: { access: 'station' },
    schema: {
      tags: ['feed'],
      summary: 'Wait (long-poll) until the feed has changes after `since`, or `waitMs` runs out',
      querystring: Type.Object(
        { since: Type.Integer({ minimum: 0 }), waitMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 25_000 }) },
        { additionalProperties: false },
      ),
      response: { 200: FeedWaitSchema },
    },
  }, async (request) => {
    requireStation(request);
    const { since, waitMs } = request.query;
    const moved = await app.feedWatch.waitBeyond(since, waitMs);
    return { head: moved ? app.feedWatch.lastHead() : Math.max(since, app.feedWatch.lastHead()), moved };
  });
};
export default routes;
