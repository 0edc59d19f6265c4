import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../auth/access.js';

/** The command center's notification list (polled by the web app, which plays a sound for new ones). No personal data: ids are masked. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/notifications', {
    config: { access: { roles: ['command', 'admin'] as const } },
    schema: { tags: ['audit'], querystring: Type.Object({ after: Type.Integer({ minimum: 0, default: 0 }) }, { additionalProperties: false }) },
  }, async (request) => app.notify.list(requireUser(request), request.query.after));
};
export default routes;
