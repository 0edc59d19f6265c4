import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SignedDocumentSchema } from '../../shared/trust/signed-document.js';
import { assertProvince, requireUser } from '../auth/access.js';

/** Public keys only: what an installer needs to set up a station, and the signed trust list. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/trust/root', {
    config: { access: 'public' },
    schema: {
      tags: ['trust'],
      summary: 'The root public key stations install (Ed25519: raw base64url and SPKI PEM)',
      response: { 200: Type.Object({ kid: Type.String(), publicKey: Type.String(), pem: Type.String() }) },
    },
  }, async () => app.trust.rootPublic());

  app.get('/api/v1/trust/list', {
    config: { access: 'public' },
    schema: {
      tags: ['trust'],
      summary: 'The current trust list, signed by the root key',
      response: { 200: Type.Object({ version: Type.Integer(), document: SignedDocumentSchema }) },
    },
  }, async () => app.trust.current());

  // The only HTTP way to make a signing key: an explicit act by an admin of that province, logged.
  app.post('/api/v1/keys', {
    config: { access: { roles: ['admin'] } },
    schema: {
      tags: ['trust'],
      summary: "Create the province's transport signing key and publish it in the trust list (logged; 409 if it exists)",
      body: Type.Object({ role: Type.Literal('transport'), province: Type.Integer({ minimum: 1, maximum: 99 }) }, { additionalProperties: false }),
      response: {
        201: Type.Object({ kid: Type.String(), role: Type.String(), province: Type.Union([Type.Null(), Type.Integer()]), trustListVersion: Type.Union([Type.Null(), Type.Integer()]) }),
      },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    assertProvince(user, request.body.province);
    const made = app.trust.createKey(request.body.role, request.body.province,
      { userId: user.id, username: user.username, role: user.role }, { method: request.method, url: request.url, ip: request.ip });
    return reply.status(201).send({ kid: made.kid, role: made.role, province: made.province, trustListVersion: made.trustListVersion });
  });
};
export default routes;
