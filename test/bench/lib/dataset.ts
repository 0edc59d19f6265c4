import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PassFacts, PersonFacts } from '../../../shared/contracts/feed.js';
import { generateSigningKey, privateKeyPem, signingKeyFromPem } from '../../../shared/codes/keys.js';
import { createTestAuthority, type AuthorityKeys, type TestAuthority } from '../../../hardware-sim/fixtures/authority.js';
import { citizenIdFor, personName, seededRandom } from '../../../hardware-sim/fixtures/names.js';

/**
 * The benchmark's data: deterministic facts for pass i and person j, generated without signing (so a
 * cache of millions builds fast); only the codes actually scanned are signed, from the same facts.
 */
export const PROVINCE = 79;
export const CHECKPOINT = 1;
export const ZONE = '79-760';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Sizes {
  passes: number;
  people: number;
}

/** Crew of pass i are persons 2i-1 and 2i, so people ≥ 2 × passes. */
export function crewOf(passId: number): [number, number] {
  return [2 * passId - 1, 2 * passId];
}

export function plateFor(passId: number): string {
  const series = ['C', 'D', 'H', 'LD', 'R'][passId % 5]!;
  const n = String(passId % 100_000).padStart(5, '0');
  return `${51 + (Math.floor(passId / 100_000) % 40)}${series}-${n.slice(0, 3)}.${n.slice(3)}`;
}

export function nameFor(person: number): string {
  return personName(seededRandom(person));
}

export function passFacts(passId: number, now: number): PassFacts {
  return {
    type: 'pass',
    passId,
    version: 1,
    status: 'ACTIVE',
    statusReason: null,
    plate: plateFor(passId),
    company: 'Công ty Vận tải Sài Gòn',
    goods: passId % 6,
    crew: crewOf(passId).map((p, k) => ({ citizenId: citizenIdFor(p, PROVINCE), name: nameFor(p), role: k === 0 ? 'driver' : 'assistant' })),
    validFrom: now - 30 * DAY,
    validTo: passId % 10 === 0 ? null : now + 60 * DAY,
    routeCheckpoints: [CHECKPOINT, 2, 3],
    routeProvinces: [],
    direction: 'both',
    issuingProvince: PROVINCE,
    originZone: ZONE,
  };
}

export function personFacts(person: number, now: number): PersonFacts {
  return {
    type: 'person',
    citizenId: citizenIdFor(person, PROVINCE),
    name: nameFor(person),
    declaredAt: now - 2 * HOUR,
    originZone: ZONE,
    test: { type: 'RAPID_ANTIGEN', result: 'NEGATIVE', sampledAt: now - 12 * HOUR },
    doses: 2,
    status: 'NONE',
    statusAsOf: now - DAY,
  };
}

/** The bench's issuing keys, made once and kept beside the cached databases (so cached data stays valid). */
export function benchKeys(dir: string): AuthorityKeys {
  const file = join(dir, 'keys.json');
  mkdirSync(dir, { recursive: true });
  if (existsSync(file)) {
    const pems = JSON.parse(readFileSync(file, 'utf8')) as Record<keyof AuthorityKeys, string>;
    return { root: signingKeyFromPem(pems.root), transport: signingKeyFromPem(pems.transport), health: signingKeyFromPem(pems.health), policy: signingKeyFromPem(pems.policy) };
  }
  const keys: AuthorityKeys = { root: generateSigningKey(), transport: generateSigningKey(), health: generateSigningKey(), policy: generateSigningKey() };
  writeFileSync(file, JSON.stringify({ root: privateKeyPem(keys.root), transport: privateKeyPem(keys.transport), health: privateKeyPem(keys.health), policy: privateKeyPem(keys.policy) }), { mode: 0o600 });
  return keys;
}

/** The key files as the server's KeyStore reads them (`<keysDir>/root.pem`, `transport-79.pem`...). */
export function writeServerKeys(keys: AuthorityKeys, keysDir: string): void {
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const files: Record<string, string> = {
    'root.pem': privateKeyPem(keys.root),
    'health.pem': privateKeyPem(keys.health),
    'policy.pem': privateKeyPem(keys.policy),
    [`transport-${String(PROVINCE).padStart(2, '0')}.pem`]: privateKeyPem(keys.transport),
  };
  for (const [name, pem] of Object.entries(files)) writeFileSync(join(keysDir, name), pem, { mode: 0o600 });
}

export interface Scan {
  code: string;
  kind: 'pass' | 'health';
  passId: number;
}

/**
 * Vehicles 1..n as a checkpoint sees them: the pass, then the driver's and the assistant's health
 * codes, signed from the same facts the caches hold (facts dated `now`).
 */
export function vehicleScans(authority: TestAuthority, vehicles: number, now: number, firstPass = 1): Scan[][] {
  const out: Scan[][] = [];
  for (let passId = firstPass; passId < firstPass + vehicles; passId++) {
    const f = passFacts(passId, now);
    const pass = authority.issuePass({
      passId, version: f.version, plate: f.plate, crew: f.crew.map((c) => ({ citizenId: c.citizenId, name: c.name })),
      goods: f.goods, validFrom: f.validFrom, validTo: f.validTo, routeCheckpoints: f.routeCheckpoints, routeProvinces: f.routeProvinces,
      issuingProvince: f.issuingProvince, direction: f.direction, originZone: f.originZone, issuedAt: now - DAY, company: f.company,
      status: f.status, statusReason: f.statusReason,
    });
    const crew = crewOf(passId).map((p) => {
      const h = personFacts(p, now);
      return authority.issueHealth({
        citizenId: h.citizenId, name: h.name, declaredAt: h.declaredAt, originZone: h.originZone, test: h.test, doses: h.doses,
        status: h.status, statusAsOf: h.statusAsOf, issuedAt: now - HOUR,
      }).code;
    });
    out.push([{ code: pass.code, kind: 'pass', passId }, ...crew.map((code) => ({ code, kind: 'health' as const, passId }))]);
  }
  return out;
}

export function authorityFor(keys: AuthorityKeys, now: number): TestAuthority {
  return createTestAuthority({ province: PROVINCE, now, keys, checkpointIds: [CHECKPOINT, 2, 3] });
}
