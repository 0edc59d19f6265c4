import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../shared/codes/keys.js';
import { signPassCode } from '../../shared/codes/pass-code.js';
import { signHealthCode } from '../../shared/codes/health-code.js';
import { TrustList, trustedKeyEntry } from '../../shared/trust/trust-list.js';
import { Lane, NOW } from '../shared/decide-harness.js';

const DAY = 86_400_000;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

// Tens of thousands of signature checks: about 10 s on a quiet 2-core machine, several times that
// when the machine is loaded, so these cases get more than vitest's default.
const CORPUS_TIMEOUT_MS = 180_000;

/**
 * A corpus of forgeries built from valid codes, the way fakes circulated in 2021: edited bytes,
 * codes signed with keys the province never trusted or no longer trusts, crew swapped, a revoked pass
 * replayed. Every one goes through the whole decision; none may be allowed.
 */
describe('forgery corpus: zero ALLOW', () => {
  const lane = new Lane();
  const { auth } = lane;
  const pass = auth.issuePass();
  lane.cache(pass.facts);
  const crew = pass.facts.crew.map((c) => auth.issueHealth({ citizenId: c.citizenId, name: c.name }));
  for (const c of crew) lane.cache(c.facts);

  function verdictsOf(codes: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const code of codes) {
      const fresh = new Lane(auth);
      fresh.passes = lane.passes;
      fresh.people = lane.people;
      // Scan the valid pass first so forged health codes meet an open crossing, as at a real lane.
      fresh.scan(pass.code);
      const d = fresh.scan(code);
      counts.set(d.verdict, (counts.get(d.verdict) ?? 0) + 1);
    }
    return counts;
  }

  it('the genuine codes are allowed (the corpus is built from codes that work)', () => {
    const l = new Lane(auth);
    l.passes = lane.passes;
    l.people = lane.people;
    expect(l.scan(pass.code).verdict).toBe('ALLOW');
    expect(l.scan(crew[0]!.code).verdict).toBe('ALLOW');
  });

  it('every single-character change of a pass and of a health code', () => {
    const corpus: string[] = [];
    for (const text of [pass.code, crew[0]!.code]) {
      for (let i = 0; i < text.length; i++) {
        for (const ch of ALPHABET) if (ch !== text[i]) corpus.push(text.slice(0, i) + ch + text.slice(i + 1));
      }
    }
    const counts = verdictsOf(corpus);
    expect(corpus.length).toBeGreaterThan(15_000);
    expect(counts.get('ALLOW') ?? 0).toBe(0);
  }, CORPUS_TIMEOUT_MS);

  it('wrong keys: unknown signer, known kid with a foreign key, expired key, wrong role, crew swapped', () => {
    const rogue = generateSigningKey();
    const strangerId = '001099012345';
    const body = { ...pass.body, crew: [strangerId, ...pass.body.crew.slice(1)] };
    const corpus = [
      signPassCode(pass.body, rogue.kid, rogue.privateKey),
      signPassCode(pass.body, auth.keys.transport.kid, rogue.privateKey),
      signPassCode(pass.body, auth.keys.health.kid, auth.keys.health.privateKey),
      signPassCode(body, rogue.kid, rogue.privateKey),
      signPassCode(body, auth.keys.transport.kid, rogue.privateKey),
      signHealthCode(crew[0]!.body, rogue.kid, rogue.privateKey),
      signHealthCode({ ...crew[0]!.body, status: 'NONE', test: { type: 'RT_PCR', result: 'NEGATIVE', sampledAt: NOW } }, auth.keys.health.kid, rogue.privateKey),
      signHealthCode(crew[0]!.body, auth.keys.transport.kid, auth.keys.transport.privateKey),
    ];
    expect(verdictsOf(corpus).get('ALLOW') ?? 0).toBe(0);

    // Codes signed by a key the trust list has since expired.
    const { keys } = auth;
    const expiredTrust = TrustList.sign({
      type: 'trust-list', version: 2, issuedAt: NOW,
      keys: [trustedKeyEntry(keys.transport, 'transport', 79, NOW - 400 * DAY, NOW - DAY), trustedKeyEntry(keys.health, 'health', null, NOW - 400 * DAY, NOW - DAY)],
    }, keys.root);
    const l = new Lane({ ...auth, trust: TrustList.open(expiredTrust, keys.root.publicKey) });
    l.passes = lane.passes;
    expect(l.scan(pass.code)).toMatchObject({ verdict: 'DENY', reasons: ['UNTRUSTED_KEY'] });
    expect(l.scan(crew[0]!.code)).toMatchObject({ verdict: 'DENY', reasons: ['UNTRUSTED_KEY'] });
  });

  it('a genuine health code of someone not on the pass, and a revoked pass replayed', () => {
    const stranger = auth.issueHealth({ name: 'Người Lạ' });
    expect(verdictsOf([stranger.code]).get('ALLOW') ?? 0).toBe(0);
    const l = new Lane(auth);
    l.cache({ ...pass.facts, status: 'REVOKED', statusReason: 'Sao chép trái phép' });
    const replay = l.scan(pass.code);
    expect(replay).toMatchObject({ verdict: 'DENY', reasons: ['REVOKED'] });
    for (const c of crew) expect(l.scan(c.code).crossing?.verdict).toBe('DENY');
  });
});
