import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PgServerDatabase } from '../../server/db/pg/database.js';
import { DEFAULT_POLICY } from '../../shared/rules/policy.js';
import type { TrustListBody } from '../../shared/trust/trust-list.js';
import { KeyStore } from '../../server/services/keys/key-store.js';
import { SqlChangeLog } from '../../server/services/feed/change-log.js';
import { SqlPolicyRepository, type PolicyRow } from '../../server/services/policy/repository.js';
import { PolicyService } from '../../server/services/policy/service.js';
import { SqlTrustRepository } from '../../server/services/trust/repository.js';
import { TrustService, type KeyCreated } from '../../server/services/trust/service.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { blockedOnLock, gate, openTwoInstances } from './two-instances.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
const clock = () => Date.UTC(2021, 8, 1, 2);
const via = { method: 'CLI', url: 'test' };

describe.skipIf(skip)(`trust list and policy publication on PostgreSQL with two server instances${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('publish');
  const keysDir = mkdtempSync(join(tmpdir(), 'pg-publish-keys-'));
  afterAll(() => rmSync(keysDir, { recursive: true, force: true }));
  let dbs: [PgServerDatabase, PgServerDatabase] | null = null;
  afterAll(async () => {
    if (dbs) await Promise.all(dbs.map((d) => d.close()));
  });

  it('two instances creating keys at once both end in the published trust list, in two versions', async () => {
    dbs = await openTwoInstances(pg.url());
    const [a, b] = dbs;
    // Instance A holds its transaction open once it has published (onKeyCreated runs inside it).
    const holdA = gate();
    const publishedA = gate();
    const onCreatedA = async (e: KeyCreated) => {
      if (e.role !== 'transport') return;
      publishedA.open();
      await holdA.wait;
    };
    // One key folder, as instances behind one load balancer share it.
    const trustA = new TrustService(new KeyStore(keysDir), new SqlTrustRepository(a.client, new SqlChangeLog(a.client)), clock, onCreatedA);
    const trustB = new TrustService(new KeyStore(keysDir), new SqlTrustRepository(b.client, new SqlChangeLog(b.client)), clock, () => undefined);
    await trustA.start();
    await trustB.start();
    expect(trustB.current().version).toBe(1);

    const madeA = trustA.createKey('transport', 79, { system: 'test' }, via);
    await Promise.race([publishedA.wait, madeA]); // a refusal surfaces here instead of hanging
    const madeB = trustB.createKey('transport', 80, { system: 'test' }, via);
    const bFinished = await Promise.race([madeB.then(() => true, () => true), blockedOnLock(a.client).then(() => false)]);
    holdA.open();
    const [ka, kb] = await Promise.all([madeA, madeB]);

    await trustA.refresh();
    const body = JSON.parse((trustA.current().document as { body: string }).body) as TrustListBody;
    expect(body.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([ka.kid, kb.kid]));
    expect([ka.trustListVersion, kb.trustListVersion].sort()).toEqual([2, 3]);
    expect(trustA.current().version).toBe(3);
    expect(bFinished).toBe(false); // B read and compared only after A's list had committed
    // Both instances sign with their key: the list each holds carries it.
    expect(trustB.transportKey(80).key.kid).toBe(kb.kid);
    await trustB.refresh();
    expect(trustB.transportKey(79).key.kid).toBe(ka.kid);
  });

  it('two instances publishing policies at once both keep their version, and neither is lost', async () => {
    const [a, b] = dbs!;
    const trust = new TrustService(new KeyStore(keysDir), new SqlTrustRepository(a.client, new SqlChangeLog(a.client)), clock, () => undefined);
    await trust.start();
    const holdA = gate();
    const storedA = gate();
    // Instance A's repository holds its transaction open once its row is stored.
    class HeldRepository extends SqlPolicyRepository {
      override async insert(row: PolicyRow): Promise<void> {
        await super.insert(row);
        if (row.province !== 79) return;
        storedA.open();
        await holdA.wait;
      }
    }
    const policyA = new PolicyService(new HeldRepository(a.client, new SqlChangeLog(a.client)), () => trust.policyKey(), clock);
    const policyB = new PolicyService(new SqlPolicyRepository(b.client, new SqlChangeLog(b.client)), () => trust.policyKey(), clock);
    await policyA.start();
    await policyB.start(); // finds A's default: one version 1, not two
    expect((await policyB.history(10)).map((p) => p.version)).toEqual([1]);

    const { version: _v, issuedAt: _i, ...rules } = DEFAULT_POLICY;
    const pa = policyA.publish({ username: 'admin79', province: 79 }, { ...rules, maxDeclarationAgeHours: 24 });
    await Promise.race([storedA.wait, pa]); // a refusal surfaces here instead of hanging
    const pb = policyB.publish({ username: 'admin80', province: 80 }, { ...rules, maxDeclarationAgeHours: 48 });
    const bFinished = await Promise.race([pb.then(() => true, () => true), blockedOnLock(a.client).then(() => false)]);
    holdA.open();
    const [ra, rb] = await Promise.all([pa, pb]);

    expect([ra.version, rb.version].sort()).toEqual([2, 3]);
    expect((await policyB.history(10)).map((p) => p.version)).toEqual([3, 2, 1]);
    expect((await policyB.current(79)).policy.maxDeclarationAgeHours).toBe(24);
    expect((await policyA.current(80)).policy.maxDeclarationAgeHours).toBe(48);
    expect(bFinished).toBe(false);
  });
});
