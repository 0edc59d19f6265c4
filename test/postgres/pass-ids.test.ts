import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../shared/codes/keys.js';
import { decodePassBody } from '../../shared/codes/pass-code.js';
import { parseSignedCode, verifySignedCode } from '../../shared/codes/signed-code.js';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import type { SqlClient } from '../../server/db/sql-client.js';
import { SqlPassRepository } from '../../server/services/passes/repository.js';
import { PassService, type Actor } from '../../server/services/passes/service.js';
import type { IssuerKey } from '../../server/services/keys/key-store.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { usePostgres } from './use-postgres.js';
import { SqlChangeLog } from '../../server/services/feed/change-log.js';

const skip = pgUnavailableReason();
const transport: Actor = { username: 'transport-79', role: 'transport', province: 79 };
const key: IssuerKey = { role: 'transport', province: 79, key: generateSigningKey() };

let plateNo = 100;
const input = () => {
  const n = plateNo++;
  return {
    plate: `51C-${n}.45`, company: 'Công ty Vận tải Sài Gòn', goods: 0,
    crew: [{ citizenId: `079000${String(n).padStart(6, '0')}`, name: 'Nguyễn Văn Tài', phone: '0901234567' }],
    originZone: '79-760', destinationZone: '74', routeCheckpoints: [1, 2], routeProvinces: [74], validTo: null,
  };
};

/** A server instance's pass service: its own pool on the shared database. */
function passService(client: SqlClient): PassService {
  return new PassService({ repo: new SqlPassRepository(client, new SqlChangeLog(client)), transportKey: () => key, clock: () => Date.UTC(2026, 10, 30, 1), defaultMaxStayHours: 24 });
}

/** The id a stored code was signed with, after checking the signature. */
function signedPassId(code: string): number {
  const signed = parseSignedCode(code);
  expect(verifySignedCode(signed, key.key.publicKey)).toBe(true);
  return decodePassBody(signed.body).passId;
}

describe.skipIf(skip)(`pass ids with two server instances on one PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('passids');
  let a: PgServerDatabase;
  let b: PgServerDatabase;

  beforeAll(async () => {
    a = await openPgServerDatabase(pg.url(), { max: 4 });
    b = await openPgServerDatabase(pg.url(), { max: 4 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('an instance issuing while the other holds its issuing transaction open draws another id, and each code names its own pass', async () => {
    const [onA, onB] = [passService(a.client), passService(b.client)];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let drawnByA!: (id: number) => void;
    const aDrew = new Promise<number>((resolve) => (drawnByA = resolve));
    // A issues inside a transaction it keeps open: its pass is not committed while B issues.
    const first = a.client.transaction(async () => {
      const p = await onA.create(transport, input());
      drawnByA(p.passId);
      await held;
      return p;
    });
    const idA = await aDrew;
    const second = onB.create(transport, input());
    // B has drawn its id once the sequence (not transactional, seen at once by every session) moves past A's.
    await expect.poll(async () => (await a.client.get<{ v: number }>('SELECT last_value AS v FROM passes_id_seq'))!.v, { timeout: 30_000 }).toBeGreaterThan(idA);
    release();
    const [pa, pb] = await Promise.all([first, second]);
    expect(pb.passId).not.toBe(pa.passId);
    const rows = await a.client.all<{ id: number; code: string }>('SELECT id, code FROM passes WHERE id IN (?, ?) ORDER BY id', [pa.passId, pb.passId]);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(signedPassId(r.code)).toBe(r.id);
  });

  it('two imports at once, one per instance, get distinct ids, and every stored code is signed with its row\'s id', async () => {
    const [onA, onB] = [passService(a.client), passService(b.client)];
    const header = 'plate,goods,driverId,driverName,originZone,destinationZone,routeCheckpoints';
    const csv = (from: number) => [header, ...Array.from({ length: 25 }, (_, i) => `51D-${from + i}.11,0,0792000${String(from + i).padStart(5, '0')},Lê Văn ${i},79-760,74,1;2`)].join('\n');
    const [ra, rb] = await Promise.all([onA.importCsv(transport, csv(100)), onB.importCsv(transport, csv(200))]);
    expect(ra.imported + rb.imported).toBe(50);
    expect(new Set([...ra.passIds, ...rb.passIds]).size).toBe(50);
    const rows = await b.client.all<{ id: number; code: string }>('SELECT id, code FROM passes');
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) expect(signedPassId(r.code)).toBe(r.id);
  });
});
