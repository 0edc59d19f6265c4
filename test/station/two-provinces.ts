import { createTestAuthority, type TestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { generateSigningKey } from '../../shared/codes/keys.js';
import type { SignedDocument } from '../../shared/trust/signed-document.js';
import { TrustList, trustedKeyEntry } from '../../shared/trust/trust-list.js';

/**
 * Two provinces' issuing authorities under one root: 79 (Hồ Chí Minh) and 80 (Long An), each with its
 * own transport key, sharing health and policy keys, and one trust list naming both transport keys.
 * Their pass ids are allocated independently, so a test can give both a pass 17.
 */
export interface TwoProvinces {
  a: TestAuthority;
  b: TestAuthority;
  trustDocument: SignedDocument;
}

export function twoProvinces(now: number, checkpointIds: number[]): TwoProvinces {
  const shared = { root: generateSigningKey(), health: generateSigningKey(), policy: generateSigningKey() };
  const a = createTestAuthority({ province: 79, now, checkpointIds, keys: { ...shared, transport: generateSigningKey() } });
  const b = createTestAuthority({ province: 80, now, checkpointIds, keys: { ...shared, transport: generateSigningKey() } });
  const from = now - 365 * 86_400_000;
  const trustDocument = TrustList.sign({
    type: 'trust-list', version: 1, issuedAt: now,
    keys: [
      trustedKeyEntry(a.keys.transport, 'transport', 79, from, null),
      trustedKeyEntry(b.keys.transport, 'transport', 80, from, null),
      trustedKeyEntry(shared.health, 'health', null, from, null),
      trustedKeyEntry(shared.policy, 'policy', null, from, null),
    ],
  }, shared.root);
  return { a, b, trustDocument };
}
