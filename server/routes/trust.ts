import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { TrustDocumentSchema } from '../../shared/trust/authority.js';
import { SignedDocumentSchema } from '../../shared/trust/signed-document.js';
import { requireUser, scopeOf } from '../auth/access.js';
import { assertPlaceInScope } from '../auth/scope.js';

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
      summary: 'The current trust document: the province root\'s signed list, or (national mode) the chain of authority documents the national root signed',
      response: { 200: Type.Object({ version: Type.Integer(), document: TrustDocumentSchema }) },
    },
  }, async () => {
    await app.trust.refresh(); // what this or any other instance published last
    return app.trust.current();
  });

  // National mode: relay an authority document the national root signed offline. The signature is
  // what makes it trusted (checked here and again by every station), so any admin may bring it in.
  app.post('/api/v1/trust/authorities', {
    config: { access: { roles: ['admin'], minScope: 'server' } },
    schema: {
      tags: ['trust'],
      summary: 'Import an authority document signed by the national root (400 if it does not verify: nothing is applied)',
      body: SignedDocumentSchema,
      response: {
        201: Type.Object({ province: Type.Union([Type.Null(), Type.Integer()]), version: Type.Integer(), trustListVersion: Type.Integer() }),
      },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const done = await app.trust.importAuthority(request.body);
    request.log.warn({ authority: done, by: user.username }, 'authority document imported');
    return reply.status(201).send(done);
  });

  app.post('/api/v1/trust/baseline', {
    config: { access: { roles: ['admin'], minScope: 'server' } },
    schema: {
      tags: ['trust'],
      summary: "Import the national baseline policy, signed by the centre's policy key (400 if it does not verify)",
      body: SignedDocumentSchema,
      response: { 201: Type.Object({ version: Type.Integer(), trustListVersion: Type.Integer() }) },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const done = await app.trust.importBaseline(request.body);
    request.log.warn({ baseline: done, by: user.username }, 'national baseline policy imported');
    return reply.status(201).send(done);
  });

  // The only HTTP way to make a signing key: an explicit act by an admin of that province, logged.
  app.post('/api/v1/keys', {
    config: { access: { roles: ['admin'], minScope: 'province' } },
    schema: {
      tags: ['trust'],
      summary: "Create the province's transport or policy signing key and publish it in the trust list (logged; 409 if it exists)",
      body: Type.Object({ role: Type.Union([Type.Literal('transport'), Type.Literal('policy')]), province: Type.Integer({ minimum: 1, maximum: 99 }) }, { additionalProperties: false }),
      response: {
        201: Type.Object({ kid: Type.String(), role: Type.String(), province: Type.Union([Type.Null(), Type.Integer()]), trustListVersion: Type.Union([Type.Null(), Type.Integer()]) }),
      },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    assertPlaceInScope(scopeOf(user), { province: request.body.province });
    const made = await app.trust.createKey(request.body.role, request.body.province,
      { userId: user.id, username: user.username, role: user.role }, { method: request.method, url: request.url, ip: request.ip });
    return reply.status(201).send({ kid: made.kid, role: made.role, province: made.province, trustListVersion: made.trustListVersion });
  });
};
export default routes;
