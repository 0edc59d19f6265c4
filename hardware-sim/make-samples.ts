import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKey, privateKeyPem } from '../shared/codes/keys.js';
import { signPassCode } from '../shared/codes/pass-code.js';
import type { ReasonCode, Verdict } from '../shared/rules/reasons.js';
import { createTestAuthority } from './fixtures/authority.js';
import { crossingScans, issueWithAuthority } from './fixtures/issue-samples.js';
import { makePopulation, VEHICLE_CASES } from './fixtures/population.js';
import { simPaths } from './virtual-scanner.js';

export interface MakeSamplesOptions {
  out: string;
  /** The checkpoint the expectations hold at (the station config's checkpointId). */
  checkpoint?: number;
  vehicles?: number;
  walkIns?: number;
  /** Where `npm run sim -- start --dir` puts its scanners, for the example station config. */
  simDir?: string;
  now?: number;
}

export interface SampleEntry {
  name: string;
  /** Codes in the order an officer scans them (pass first, then the crew's health codes). */
  scans: string[];
  expect: { verdict: Verdict; reasons: ReasonCode[] };
  /** One file of these scans, one per line, for `npm run sim -- scan --file`. */
  file: string;
}

/**
 * Test keys, a signed trust list and policy, sample codes with their expected verdicts (every case a
 * checkpoint meets, plus a forged code), a seed file for `npm run station -- --seed`-style loading,
 * and an example station config wired to simulated scanners.
 */
export async function makeSamples(opts: MakeSamplesOptions): Promise<{ samples: SampleEntry[]; files: string[] }> {
  const now = opts.now ?? Date.now();
  const checkpointA = opts.checkpoint ?? 1;
  const checkpointB = checkpointA === 65535 ? 1 : checkpointA + 1;
  const auth = createTestAuthority({ now, checkpointIds: [checkpointA, checkpointB] });
  const pop = makePopulation({ now, checkpointA, checkpointB, vehicles: opts.vehicles ?? VEHICLE_CASES.length, walkIns: opts.walkIns ?? 5 });
  const issued = issueWithAuthority(auth, pop);

  const samples: SampleEntry[] = [];
  const add = (name: string, scans: string[], expect: SampleEntry['expect']) => samples.push({ name, scans, expect, file: join('codes', `${name}.txt`) });
  issued.vehicles.forEach((v, i) => add(`vehicle-${String(i + 1).padStart(2, '0')}-${v.sample.case}`, crossingScans(v), v.sample.expect));
  issued.walkIns.forEach((w, i) => add(`person-${String(i + 1).padStart(2, '0')}-${w.sample.case}`, [w.code], w.sample.expect));
  // A forged pass: a valid-looking body claiming the transport key's kid, signed with a key nobody trusts.
  const forged = auth.issuePass({ plate: '51C-999.99', validTo: now + 365 * 86_400_000, routeCheckpoints: [checkpointA] });
  add('forged-pass', [signPassCode(forged.body, auth.keys.transport.kid, generateSigningKey().privateKey)], { verdict: 'DENY', reasons: ['BAD_SIGNATURE'] });

  const out = opts.out;
  await mkdir(join(out, 'keys'), { recursive: true });
  await mkdir(join(out, 'codes'), { recursive: true });
  const files: string[] = [];
  const put = async (rel: string, text: string) => {
    await writeFile(join(out, rel), text);
    files.push(rel);
  };
  for (const [name, key] of Object.entries(auth.keys)) await put(join('keys', `${name}.pem`), privateKeyPem(key));
  await put(join('keys', 'root.pub.b64u'), auth.keys.root.publicKeyB64 + '\n');
  await put('trust-list.json', JSON.stringify(auth.trustDocument, null, 2) + '\n');
  await put('policy.json', JSON.stringify(auth.policyDocument, null, 2) + '\n');
  const items = issued.items.filter((i) => i.type !== 'trustList' && i.type !== 'policy');
  await put('seed.json', JSON.stringify({ rootPublicKey: auth.keys.root.publicKeyB64, trustDocument: auth.trustDocument, policyDocument: auth.policyDocument, items }) + '\n');
  for (const s of samples) await put(s.file, s.scans.join('\n') + '\n');
  await put('samples.json', JSON.stringify({ checkpoint: checkpointA, madeAt: now, samples }, null, 2) + '\n');
  const simDir = opts.simDir ?? '/tmp/checkpoint-sim';
  const station = {
    stationId: `station-${checkpointA}`,
    checkpointId: checkpointA,
    province: auth.province,
    rootPublicKey: auth.keys.root.publicKeyB64,
    dataDir: 'station-data',
    scanners: [
      { id: 'scanner-0', path: simPaths(simDir, 'scanner-0').stationPath, lane: 'L1', direction: 'entry', suffix: 'auto', feedback: {} },
      { id: 'scanner-1', path: simPaths(simDir, 'scanner-1').stationPath, lane: 'L2', direction: 'exit', suffix: 'auto', feedback: {} },
    ],
  };
  await put('station.json', JSON.stringify(station, null, 2) + '\n');
  return { samples, files };
}
