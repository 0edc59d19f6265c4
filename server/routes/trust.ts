import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SignedDocumentSchema } from '../../shared/trust/signed-document.js';

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
};
export default routes;
