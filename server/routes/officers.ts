import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { OfficerId, StationOfficersSchema } from '../../shared/contracts/officers.js';
import { requireStation, requireUser } from '../auth/access.js';

const PublicOfficer = Type.Object({
  officerId: Type.String(), name: Type.String(), province: Type.Integer(), disabled: Type.Boolean(), updatedAt: Type.Integer(),
});
const Name = Type.String({ minLength: 1, maxLength: 100 });
// Digits only: checked again in the service with a message in Vietnamese.
const Pin = Type.String({ minLength: 1, maxLength: 12 });
const Params = Type.Object({ officerId: OfficerId }, { additionalProperties: false });

/** Checkpoint officers: a province admin manages them; the province's stations pull them (PIN hashes only). */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const admin = { roles: ['admin'] as const };

  app.get('/api/v1/officers', { config: { access: admin }, schema: { tags: ['officers'], response: { 200: Type.Array(PublicOfficer) } } }, async (request) =>
    app.officers.list(requireUser(request)));

  app.post('/api/v1/officers', {
    config: { access: admin },
    schema: { tags: ['officers'], body: Type.Object({ officerId: OfficerId, name: Name, pin: Pin }, { additionalProperties: false }), response: { 201: PublicOfficer } },
  }, async (request, reply) => reply.status(201).send(await app.officers.create(requireUser(request), request.body)));

  app.patch('/api/v1/officers/:officerId', {
    config: { access: admin },
    schema: {
      tags: ['officers'], params: Params,
      body: Type.Object({ name: Type.Optional(Name), pin: Type.Optional(Pin), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: PublicOfficer },
    },
  }, async (request) => app.officers.update(requireUser(request), request.params.officerId, request.body));

  app.get('/api/v1/station/officers', {
    config: { access: 'station' },
    schema: {
      tags: ['station API'],
      querystring: Type.Object({ since: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
      response: { 200: StationOfficersSchema },
    },
  }, async (request) => app.officers.forStation(requireStation(request), request.query.since));
};
export default routes;
