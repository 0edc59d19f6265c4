import fp from 'fastify-plugin';
import { publicKeyFromRaw } from '../../../shared/codes/keys.js';
import { KeyStore } from '../keys/key-store.js';
import { SqlTrustRepository } from './repository.js';
import { TrustService, type KeyCreated } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** issuer keys (root, transport per province, health, policy) and the signed trust list */
    readonly trust: TrustService;
  }
}

const REFRESH_MS = 5_000;

export default fp(
  async (app) => {
    // Keys live beside the database; an in-memory database (tests) gets in-memory keys, since its trust lists vanish with it.
    const store = new KeyStore(app.config.dbFile === ':memory:' ? null : app.config.keysDir);
    const onKeyCreated = async (e: KeyCreated) => {
      app.log.warn({ key: { kid: e.kid, role: e.role, province: e.province, trustListVersion: e.trustListVersion }, by: e.by, via: e.via }, 'signing key created');
      await app.accessLog.recordKeyCreated(e);
    };
    const nationalRoot = app.config.nationalRootPublicKey === null ? null : publicKeyFromRaw(Buffer.from(app.config.nationalRootPublicKey, 'base64url'));
    const trust = new TrustService(store, new SqlTrustRepository(app.database.client, app.changeLog), app.clock, onKeyCreated, nationalRoot);
    await trust.start();
    app.decorate('trust', trust);
    // Several instances share a PostgreSQL database: pick up the keys and lists the others publish.
    // (SQLite has one process, and this instance refreshes after each of its own publications.)
    if (app.database.client.dialect === 'postgres') {
      const timer = setInterval(() => void trust.refresh().catch((err: unknown) => app.log.error({ err }, 'trust list refresh failed')), REFRESH_MS);
      timer.unref();
      app.addHook('onClose', async () => clearInterval(timer));
    }
  },
  { name: 'trust', fastify: '5.x', dependencies: ['database', 'feed', 'access-log'] },
);
