import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';

const routes: FastifyPluginAsync = async (app) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        response: { 200: Type.Object({ status: Type.Literal('ok'), time: Type.Integer() }) },
      },
    },
    async () => {
      // through the same client every request uses, so a lost database connection fails readiness
      await app.database.client.get('SELECT 1');
      return { status: 'ok' as const, time: app.clock() };
    },
  );
};
export default routes;
