import fp from 'fastify-plugin';
import { SqlPassRepository } from './repository.js';
import { PassService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** transport passes: issue, amend, extend, suspend, reinstate, revoke, search, import */
    readonly passes: PassService;
  }
}

export default fp(
  async (app) => {
    app.decorate('passes', new PassService({
      repo: new SqlPassRepository(app.database.client, app.changeLog),
      transportKey: (province) => app.trust.transportKey(province),
      clock: app.clock,
      defaultMaxStayHours: app.config.defaultMaxStayHours,
    }));
  },
  { name: 'passes', fastify: '5.x', dependencies: ['database', 'feed', 'trust'] },
);
