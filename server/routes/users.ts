import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../auth/access.js';
import { NotFoundError } from '../domain-errors.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../services/users/service.js';
import { CommuneCode, DistrictCode, IdParams, PublicUserSchema, RoleSchema, ScopeLevelSchema, Username } from './schemas.js';

/** User administration: an admin manages the users inside its own area (server/auth/scope.ts). */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const admin = { roles: ['admin'] as const };

  app.post('/api/v1/users', {
    config: { access: admin },
    schema: {
      tags: ['users'],
      body: Type.Object({
        username: Username,
        password: Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX }),
        displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
        role: RoleSchema,
        province: Type.Integer({ minimum: 1, maximum: 99, description: 'the user\'s province (a national user\'s home office)' }),
        scopeLevel: Type.Optional(ScopeLevelSchema),
        district: Type.Optional(DistrictCode),
        commune: Type.Optional(CommuneCode),
      }, { additionalProperties: false }),
      response: { 201: PublicUserSchema },
    },
  }, async (request, reply) => reply.status(201).send(await app.users.create(requireUser(request), request.body)));

  app.get('/api/v1/users', { config: { access: admin }, schema: { tags: ['users'], response: { 200: Type.Array(PublicUserSchema) } } }, async (request) =>
    app.users.list(requireUser(request)));

  app.patch('/api/v1/users/:id', {
    config: { access: admin },
    schema: {
      tags: ['users'],
      params: IdParams,
      body: Type.Object({
        disabled: Type.Optional(Type.Boolean()),
        password: Type.Optional(Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })),
      }, { additionalProperties: false }),
      response: { 200: PublicUserSchema },
    },
  }, async (request) => {
    const actor = requireUser(request);
    const { id } = request.params;
    if (request.body.password !== undefined) await app.users.resetPassword(actor, id, request.body.password);
    if (request.body.disabled !== undefined) return app.users.setDisabled(actor, id, request.body.disabled);
    const u = (await app.users.list(actor)).find((x) => x.id === id);
    if (!u) throw new NotFoundError(`user ${id} not found`, `Không tìm thấy người dùng ${id}`);
    return u;
  });
};
export default routes;
