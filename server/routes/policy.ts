import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser, ROLES } from '../auth/access.js';
import { PolicySchema } from '../../shared/rules/policy.js';
import { SignedDocumentSchema } from '../../shared/trust/signed-document.js';
import { PolicyInputSchema } from '../services/policy/service.js';

const PolicyViewSchema = Type.Object({
  version: Type.Integer(),
  policy: PolicySchema,
  document: SignedDocumentSchema,
  publishedAt: Type.Integer(),
  publishedBy: Type.String(),
});

/** The decision policy: everyone signed in reads it; an admin publishes a new version. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/policy', {
    config: { access: { roles: ROLES } },
    schema: { tags: ['policy'], summary: 'The current policy version', response: { 200: PolicyViewSchema } },
  }, async () => app.policy.current());

  app.get('/api/v1/policy/history', {
    config: { access: { roles: ['admin'], minScope: 'province' } },
    schema: {
      tags: ['policy'],
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }, { additionalProperties: false }),
      response: { 200: Type.Array(PolicyViewSchema) },
    },
  }, async (request) => app.policy.history(request.query.limit));

  app.post('/api/v1/policy', {
    config: { access: { roles: ['admin'], minScope: 'province' } },
    schema: {
      tags: ['policy'],
      summary: 'Publish a new policy version (the server assigns version and time, and signs it)',
      body: PolicyInputSchema,
      response: { 201: PolicyViewSchema },
    },
  }, async (request, reply) => reply.status(201).send(app.policy.publish(requireUser(request), request.body)));
};
export default routes;
