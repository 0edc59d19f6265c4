import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCode } from '../../shared/codes/read-code.js';
import { publicKeyFromRaw, signingKeyFromPem } from '../../shared/codes/keys.js';
import { TrustList } from '../../shared/trust/trust-list.js';
import { makeSamples, type SampleEntry } from '../../hardware-sim/make-samples.js';
import { parseScannerConfig } from '../../station/scanner/config.js';

describe('make-samples', () => {
  let out: string;
  const now = Date.UTC(2021, 7, 20, 8, 0, 0);
  let samples: SampleEntry[];
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'make-samples-'));
    samples = (await makeSamples({ out, now, checkpoint: 7, simDir: '/tmp/sim-x' })).samples;
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('writes a seed whose trust list opens with its root key, and codes that read (all but the forged one)', async () => {
    const seed = JSON.parse(await readFile(join(out, 'seed.json'), 'utf8'));
    const root = signingKeyFromPem(await readFile(join(out, 'keys', 'root.pem'), 'utf8'));
    expect(seed.rootPublicKey).toBe(root.publicKeyB64);
    const trust = TrustList.open(seed.trustDocument, publicKeyFromRaw(Buffer.from(seed.rootPublicKey, 'base64url')));
    for (const s of samples) {
      for (const code of s.scans) {
        const read = readCode(code, trust, now);
        if (s.name === 'forged-pass') expect(read).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
        else expect(read.ok, `${s.name}: ${JSON.stringify(read)}`).toBe(true);
      }
      expect((await readFile(join(out, s.file), 'utf8')).trim().split('\n')).toEqual(s.scans);
    }
    const passIds = seed.items.filter((i: { type: string }) => i.type === 'pass').map((i: { passId: number }) => i.passId);
    expect(new Set(passIds).size).toBe(passIds.length);
  });

  it('covers the issue cases: valid crossing, revoked, wrong route, stranger, forged', () => {
    const byCase = (c: string) => samples.find((s) => s.name.endsWith(c))!;
    expect(byCase('healthy')).toMatchObject({ expect: { verdict: 'ALLOW' } });
    expect(byCase('healthy').scans.length).toBe(3); // pass + two crew health codes
    expect(byCase('revoked').expect.reasons).toEqual(['REVOKED']);
    expect(byCase('wrong-route').expect.reasons).toEqual(['ROUTE_NOT_ALLOWED']);
    expect(byCase('stranger').expect.reasons).toEqual(['PERSON_NOT_ON_PASS']);
    expect(byCase('forged-pass').expect.reasons).toEqual(['BAD_SIGNATURE']);
  });

  it('writes an example station config whose scanners are valid and point at the sim dir', async () => {
    const station = JSON.parse(await readFile(join(out, 'station.json'), 'utf8'));
    expect(station.checkpointId).toBe(7);
    const scanners = station.scanners.map((s: unknown, i: number) => parseScannerConfig(s, `scanners[${i}]`));
    expect(scanners.map((s: { path: string }) => s.path)).toEqual(['/tmp/sim-x/scanner-0', '/tmp/sim-x/scanner-1']);
  });
});
