import fp from 'fastify-plugin';
import { publicKeyFromRaw } from '../../../shared/codes/keys.js';
import { KeyStore } from '../keys/key-store.js';
import { SqliteTrustRepository } from './repository.js';
import { TrustService, type KeyCreated } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** issuer keys (root, transport per province, health, policy) and the signed trust list */
    readonly trust: TrustService;
  }
}

export default fp(
  async (app) => {
    // Keys live beside the database; an in-memory database (tests) gets in-memory keys, since its trust lists vanish with it.
    const store = new KeyStore(app.config.dbFile === ':memory:' ? null : app.config.keysDir);
    const onKeyCreated = (e: KeyCreated) => {
      app.log.warn({ key: { kid: e.kid, role: e.role, province: e.province, trustListVersion: e.trustListVersion }, by: e.by, via: e.via }, 'signing key created');
      app.accessLog.recordKeyCreated(e);
    };
    const nationalRoot = app.config.nationalRootPublicKey === null ? null : publicKeyFromRaw(Buffer.from(app.config.nationalRootPublicKey, 'base64url'));
    const trust = new TrustService(store, new SqliteTrustRepository(app.database.sqlite, app.changeLog), app.clock, onKeyCreated, nationalRoot);
    trust.start();
    app.decorate('trust', trust);
  },
  { name: 'trust', fastify: '5.x', dependencies: ['database', 'feed', 'access-log'] },
);
