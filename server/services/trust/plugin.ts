import fp from 'fastify-plugin';
import { publicKeyFromRaw } from '../../../shared/codes/keys.js';
import { listenForNotifications } from '../../db/pg-notifications.js';
import { KeyStore } from '../keys/key-store.js';
import { TrustRefresher } from './refresher.js';
import { SqlTrustRepository, TRUST_CHANNEL } from './repository.js';
import { TrustService, type KeyCreated } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** issuer keys (root, transport per province, health, policy) and the signed trust list */
    readonly trust: TrustService;
    /** PostgreSQL: re-reads the trust state when another instance publishes (refresher.ts); idle on SQLite */
    readonly trustRefresher: TrustRefresher;
  }
}

/** the fallback re-read, for when the notification connection is down */
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
    const refresher = new TrustRefresher(() => trust.refresh(), (err) => app.log.error({ err }, 'trust list refresh failed'));
    app.decorate('trustRefresher', refresher);
    // Several instances share a PostgreSQL database: pick up the keys and lists the others publish, when
    // told (LISTEN trust_change) and on a timer. (SQLite has one process, and this instance refreshes
    // after each of its own publications.)
    const url = app.config.databaseUrl;
    if (url !== null && app.database.client.dialect === 'postgres') {
      app.addHook('onReady', async () =>
        refresher.start(REFRESH_MS, (wake) =>
          listenForNotifications(url, TRUST_CHANNEL, wake, (err) => app.log.warn({ err }, 'trust_change listener: reconnecting'))),
      );
      app.addHook('preClose', async () => refresher.stop());
    }
  },
  { name: 'trust', fastify: '5.x', dependencies: ['database', 'feed', 'access-log'] },
);
