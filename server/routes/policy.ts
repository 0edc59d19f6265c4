import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { assertProvince, requireUser, ROLES, scopeOf } from '../auth/access.js';
import { assertProvinceWide } from '../auth/scope.js';
import { ValidationError } from '../domain-errors.js';
import { PolicySchema } from '../../shared/rules/policy.js';
import { SignedDocumentSchema } from '../../shared/trust/signed-document.js';
import { PolicyInputSchema } from '../services/policy/service.js';

const PolicyViewSchema = Type.Object({
  version: Type.Integer(),
  province: Type.Union([Type.Integer(), Type.Null()], { description: "whose policy: a province, or null for the deployment's own (a province without its own follows it)" }),
  policy: PolicySchema,
  document: SignedDocumentSchema,
  publishedAt: Type.Integer(),
  publishedBy: Type.String(),
});

const ProvinceQuery = {
  province: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: 'national users: the province whose policy (default: their own)' })),
};

/**
 * The province whose policy the caller reads or publishes: their own, or for a national user the one
 * they name. Naming another province is refused (a province's policy is its own business).
 */
function policyProvince(request: FastifyRequest, asked: number | undefined, provinceWide: boolean): number {
  const user = requireUser(request);
  const province = asked ?? user.province;
  if (provinceWide) assertProvinceWide(scopeOf(user), province);
  // reading: a district or commune user follows its province's policy too
  else if (scopeOf(user).level !== 'national') assertProvince(user, province);
  return province;
}

/** The decision policy, per province: everyone signed in reads their province's; its admin publishes a new version. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/policy', {
    config: { access: { roles: ROLES } },
    schema: {
      tags: ['policy'],
      summary: "The current policy version of the caller's province (its own, else the deployment's)",
      querystring: Type.Object(ProvinceQuery, { additionalProperties: false }),
      response: { 200: PolicyViewSchema },
    },
  }, async (request) => app.policy.current(policyProvince(request, request.query.province, false)));

  app.get('/api/v1/policy/history', {
    config: { access: { roles: ['admin'], minScope: 'province' } },
    schema: {
      tags: ['policy'],
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), ...ProvinceQuery }, { additionalProperties: false }),
      response: { 200: Type.Array(PolicyViewSchema) },
    },
  }, async (request) => app.policy.history(request.query.limit, policyProvince(request, request.query.province, true)));

  app.post('/api/v1/policy', {
    config: { access: { roles: ['admin'], minScope: 'province' } },
    schema: {
      tags: ['policy'],
      summary: "Publish a new version of a province's policy (the server assigns version and time, and signs it with that province's policy key)",
      querystring: Type.Object(ProvinceQuery, { additionalProperties: false }),
      body: PolicyInputSchema,
      response: { 201: PolicyViewSchema },
    },
  }, async (request, reply) => {
    // a national user publishing into its home office's province by default would be a silent mistake
    if (request.query.province === undefined && scopeOf(requireUser(request)).level === 'national') {
      throw new ValidationError('province: a national user names the province whose policy it publishes (?province=…)',
        'Người dùng cấp Trung ương cần chọn tỉnh để ban hành chính sách', { field: 'province' });
    }
    const province = policyProvince(request, request.query.province, true);
    return reply.status(201).send(await app.policy.publish({ username: requireUser(request).username, province }, request.body));
  });
};
export default routes;
