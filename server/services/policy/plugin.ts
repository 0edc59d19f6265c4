import fp from 'fastify-plugin';
import { SqlPolicyRepository } from './repository.js';
import { PolicyService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the versioned, signed decision policy */
    readonly policy: PolicyService;
  }
}

export default fp(
  async (app) => {
    const policy = new PolicyService(new SqlPolicyRepository(app.database.client, app.changeLog), (province) => app.trust.policyKey(province), app.clock, () => app.trust.baselinePolicy());
    await policy.start();
    app.decorate('policy', policy);
  },
  { name: 'policy', fastify: '5.x', dependencies: ['database', 'feed', 'trust'] },
);
