import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser, ROLES } from '../auth/access.js';
import { Zone } from '../../shared/contracts/common.js';
import { ZoneLevelInputSchema } from '../services/zones/service.js';

const ZoneViewSchema = Type.Object({ zone: Type.String(), level: Type.Integer(), updatedAt: Type.Integer(), updatedBy: Type.String() });
const ZoneParams = Type.Object({ zone: Zone }, { additionalProperties: false });

/** Epidemic levels 1-4 per province or district; admin and health staff set them. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const setters = { roles: ['admin', 'health'] as const };

  app.get('/api/v1/zones', {
    config: { access: { roles: ROLES } },
    schema: { tags: ['zones'], response: { 200: Type.Array(ZoneViewSchema) } },
  }, async () => app.zones.list());

  app.put('/api/v1/zones/:zone', {
    config: { access: setters },
    schema: { tags: ['zones'], params: ZoneParams, body: ZoneLevelInputSchema, response: { 200: ZoneViewSchema } },
  }, async (request) => app.zones.set(requireUser(request), request.params.zone, request.body.level));

  app.delete('/api/v1/zones/:zone', {
    config: { access: setters },
    schema: { tags: ['zones'], params: ZoneParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await app.zones.remove(requireUser(request), request.params.zone);
    return reply.status(204).send(null);
  });
};
export default routes;
