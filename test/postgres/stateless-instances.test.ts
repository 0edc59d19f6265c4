import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlCredentialStore } from '../../server/auth/credentials.js';
import { csrfHmacKey } from '../../server/auth/csrf-key.js';
import { LoginThrottle, type LoginLimits } from '../../server/auth/login-throttle.js';
import { tokenHash } from '../../server/auth/tokens.js';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import { sqlOfficerRepository } from '../../server/services/officers/repository.js';
import { sqlUserRepository } from '../../server/services/users/repository.js';
import { UsersService } from '../../server/services/users/service.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { usePostgres } from './use-postgres.js';

/**
 * Issue 13 item 5 on PostgreSQL: two server instances are two SqlClients (two pools) on one database.
 * What one instance writes for sessions, sign-in limits, the CSRF key and officer revisions, the
 * other sees and respects, also when both write at the same moment.
 */
const unavailable = pgUnavailableReason();
const T0 = Date.UTC(2021, 8, 1, 1, 0, 0);
const PASSWORD = 'correct horse battery';

if (unavailable) {
  describe.skip(`stateless instances on PostgreSQL (skipped: ${unavailable})`, () => it('needs PostgreSQL', () => undefined));
} else {
  const pg = usePostgres('stateless');
  let a: PgServerDatabase;
  let b: PgServerDatabase;
  const now = () => T0;
  const usersOn = (db: PgServerDatabase) => new UsersService(sqlUserRepository(db.client), { sessionTtlMinutes: 60, apiTokenTtlDays: 30, apiTokenMaxDays: 90, clock: now });

  beforeAll(async () => {
    a = await openPgServerDatabase(pg.url(), { max: 4 });
    b = await openPgServerDatabase(pg.url(), { max: 4 });
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  describe('two instances (two pools) on one PostgreSQL database', () => {
    it('a session made through instance A authenticates on B, and a sign-out on B ends it for A', async () => {
      await usersOn(a).create(null, { username: 'lan', password: PASSWORD, role: 'command', province: 79 });
      const { sessionToken } = await usersOn(a).login('lan', PASSWORD);
      const hash = tokenHash(sessionToken);
      expect(await sqlCredentialStore(b.client).userBySession(hash, T0 + 1000)).toMatchObject({ username: 'lan', role: 'command', province: 79 });
      await usersOn(b).logout(hash);
      expect(await sqlCredentialStore(a.client).userBySession(hash, T0 + 1000)).toBeNull();
    });

    it('two instances taking the same new username at once: one user, and the other gets a 409-class conflict', async () => {
      const results = await Promise.allSettled([
        usersOn(a).create(null, { username: 'Hoa', password: PASSWORD, role: 'health', province: 79 }),
        usersOn(b).create(null, { username: 'hoa', password: PASSWORD, role: 'health', province: 79 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT' } });
      expect(await a.client.get("SELECT count(*) AS n FROM users WHERE lower(username) = 'hoa'")).toEqual({ n: 1 });
    }, 60_000);

    it('both instances starting at once agree on one CSRF HMAC key', async () => {
      const [ka, kb] = await Promise.all([csrfHmacKey(a.client, T0), csrfHmacKey(b.client, T0)]);
      expect(ka.length).toBe(32);
      expect(ka.equals(kb)).toBe(true);
      expect((await csrfHmacKey(b.client, T0 + 1)).equals(ka)).toBe(true);
    });

    it('failed sign-ins counted on A and on B add up to one limit per address', async () => {
      const limits: LoginLimits = { perAddress: 3, addressWindowMs: 60_000, perAccount: 100, accountWindowMs: 900_000 };
      const onA = new LoginThrottle(a.client, limits, now);
      const onB = new LoginThrottle(b.client, limits, now);
      for (const t of [onA, onB, onA]) {
        const turn = await t.begin('198.51.100.1', 'lan');
        if (!turn.allowed) throw new Error('refused before the limit');
        await turn.attempt.failed();
      }
      const refused = await onB.begin('198.51.100.1', 'lan');
      expect(refused).toEqual({ allowed: false, retryAfterMs: 60_000 });
      expect(await onA.begin('198.51.100.1', 'lan')).toMatchObject({ allowed: false });
      expect(await onA.begin('198.51.100.2', 'lan')).toMatchObject({ allowed: true });
    });

    it('ten attempts fired at once over both instances: exactly the limit get through', async () => {
      const limits: LoginLimits = { perAddress: 3, addressWindowMs: 60_000, perAccount: 100, accountWindowMs: 900_000 };
      const throttles = [new LoginThrottle(a.client, limits, now), new LoginThrottle(b.client, limits, now)];
      const turns = await Promise.all(Array.from({ length: 10 }, (_, i) => throttles[i % 2]!.begin('203.0.113.50', `guess-${i}`)));
      // counting and writing an attempt is serialised per address, so exactly the limit get through
      expect(turns.filter((t) => t.allowed)).toHaveLength(3);
      expect(turns.filter((t) => !t.allowed)).toHaveLength(7);
    });

    it('officer revisions from two instances at once are distinct and commit in order (the second waits for the first)', async () => {
      const repoA = sqlOfficerRepository(a.client);
      const repoB = sqlOfficerRepository(b.client);
      const officer = (officerId: string) => ({ province: 80, officerId, name: officerId, pinHash: 'x', disabled: false, updatedAt: T0, updatedBy: 1 });
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let first!: Promise<number>;
      const aWrote = new Promise<void>((wrote) => {
        first = a.client.transaction(async () => {
          const r = await repoA.upsert(officer('A-1'));
          wrote();
          await held; // A's transaction stays open, its revision not yet committed
          return r.rev;
        });
      });
      await aWrote;
      const second = repoB.upsert(officer('B-1'));
      // B is waiting on the province's lock, not reading a revision A has not committed
      const waiting = async () => (await a.client.get<{ n: number }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))!.n;
      while ((await waiting()) === 0) await new Promise((r) => setImmediate(r));
      release();
      const [revA, rowB] = await Promise.all([first, second]);
      expect(revA).toBe(1);
      expect(rowB.rev).toBe(2);
      expect(await repoA.changedSince(80, 1)).toBe(true);
      expect((await repoB.list(80)).map((o) => [o.officerId, o.rev])).toEqual([['A-1', 1], ['B-1', 2]]);
    }, 60_000);
  });
}
