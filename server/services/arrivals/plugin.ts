import fp from 'fastify-plugin';
import { ArrivalsRepository } from './repository.js';
import { ArrivalsService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** arrivals from risky zones, for the communes they declared (issue 17 item 11) */
    readonly arrivals: ArrivalsService;
  }
}

export default fp(
  async (app) => {
    app.decorate('arrivals', new ArrivalsService({
      repo: new ArrivalsRepository(app.database.client),
      // awaited: the policy service moves onto the async data layer too
      policyOf: async (province) => (await app.policy.current(province)).policy,
      clock: app.clock,
    }));
  },
  { name: 'arrivals', fastify: '5.x', dependencies: ['database', 'policy'] },
);
