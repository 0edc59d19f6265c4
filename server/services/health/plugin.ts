import fp from 'fastify-plugin';
import { SqlPersonRepository } from './repository.js';
import { HealthDataService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** people's health facts, imports and health codes */
    readonly healthData: HealthDataService;
  }
}

export default fp(
  async (app) => {
    app.decorate('healthData', new HealthDataService({
      repo: new SqlPersonRepository(app.database.client, app.changeLog),
      healthKey: (province) => app.trust.healthKey(province),
      clock: app.clock,
    }));
  },
  { name: 'health-data', fastify: '5.x', dependencies: ['database', 'feed', 'trust'] },
);
