import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadServerConfig } from '../../server/config.js';
import { readCode } from '../../shared/codes/read-code.js';
import type { RefreshCause } from '../../server/services/trust/refresher.js';
import { fetchTrust, passInput } from '../server-issuing/fixtures.js';
import { createTransportKey, testClock } from '../server/helpers.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { usePostgres } from './use-postgres.js';

/**
 * Issue 13 item 5: each instance holds the trust state (registered keys, the current list) in memory,
 * read on every signature. A publication on one instance notifies trust_change at commit and the others
 * re-read at once, instead of at their next timed refresh (every 5 s, kept as the fallback): a key made
 * through A signs on B a moment later, with no KEY_NOT_REGISTERED in between to wait out.
 */
const skip = pgUnavailableReason();
const seedActor = { username: 'seed', role: 'admin' as const, province: 79 };

describe.skipIf(skip)(`the trust state on several instances of one PostgreSQL database${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('trustnotify');
  const dir = mkdtempSync(join(tmpdir(), 'trust-notify-'));
  const clock = testClock();
  let a: FastifyInstance;
  let b: FastifyInstance;
  beforeAll(async () => {
    const start = async (instance: string) => {
      const app = await buildApp(loadServerConfig({
        DATA_DIR: join(dir, instance), KEYS_DIR: join(dir, 'keys'), DATABASE_URL: pg.url(), DATABASE_POOL_SIZE: '4', LOG_LEVEL: 'silent',
      }, undefined), { logger: false, clock });
      await app.ready();
      return app;
    };
    a = await start('a');
    b = await start('b');
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Resolves with the app's trust list version once a refresh caused by a notification has read at least `version`. */
  const notifiedAt = (app: FastifyInstance, version: number) =>
    new Promise<number>((resolve) => {
      const seen = (cause: RefreshCause) => {
        if (cause !== 'notified' || app.trust.current().version < version) return;
        app.trustRefresher.off('refreshed', seen);
        resolve(app.trust.current().version);
      };
      app.trustRefresher.on('refreshed', seen);
    });

  it('a transport key made through A signs passes on B as soon as B hears of it, and the pass verifies with B\'s list', async () => {
    // the refresh each listener makes on connecting is over: what B reads next comes from what A does
    await b.trustRefresher.settled();
    const before = b.trust.current().version;
    expect(a.trust.current().version).toBe(before);
    const heard = notifiedAt(b, before + 1);
    // A hears its own publication too (each instance listens on its own connection): waited for here,
    // so that it cannot arrive during the next test and be counted there
    const heardByA = notifiedAt(a, before + 1);

    const made = await createTransportKey(a, 79);
    expect(made.trustListVersion).toBe(before + 1);
    expect(await heard).toBe(before + 1);
    expect(await heardByA).toBe(before + 1);
    expect(b.trust.current()).toEqual(a.trust.current());
    expect(b.trust.transportKey(79).key.kid).toBe(made.kid);

    const pass = await b.passes.create(seedActor, passInput());
    expect(readCode(pass.code, await fetchTrust(b), clock())).toMatchObject({ ok: true, kind: 'pass', kid: made.kid });
  }, 60_000);

  it('and the other way: a key made through B is heard by A, one notified re-read for the publication', async () => {
    await a.trustRefresher.settled();
    const refreshes: RefreshCause[] = [];
    const count = (cause: RefreshCause) => void refreshes.push(cause);
    a.trustRefresher.on('refreshed', count);
    try {
      const heard = notifiedAt(a, b.trust.current().version + 1);
      const made = await createTransportKey(b, 80);
      expect(await heard).toBe(made.trustListVersion);
      // the key's registration and the list's publication commit together: one notification
      expect(refreshes.filter((c) => c === 'notified')).toHaveLength(1);
      expect(a.trust.transportKey(80).key.kid).toBe(made.kid);
    } finally {
      a.trustRefresher.off('refreshed', count);
    }
  }, 60_000);
});
