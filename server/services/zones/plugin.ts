import fp from 'fastify-plugin';
import { SqlZoneRepository, ZoneService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** epidemic levels per province/district */
    readonly zones: ZoneService;
  }
}

export default fp(
  async (app) => {
    app.decorate('zones', new ZoneService(new SqlZoneRepository(app.database.client, app.changeLog), app.clock, app.config.deployment.mode));
  },
  { name: 'zones', fastify: '5.x', dependencies: ['database', 'feed'] },
);
