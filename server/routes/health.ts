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
      app.database.sqlite.prepare('SELECT 1').get();
      return { status: 'ok' as const, time: app.clock() };
    },
  );
};
export default routes;
