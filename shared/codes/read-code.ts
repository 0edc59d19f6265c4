import type { TrustList } from '../trust/trust-list.js';
import type { ReasonCode } from '../rules/reasons.js';
import { CodeError } from './errors.js';
import { decodeHealthBody, type HealthCodeBody } from './health-code.js';
import { decodePassBody, type PassCodeBody } from './pass-code.js';
import { parseSignedCode, verifySignedCode } from './signed-code.js';

export type ReadCode =
  | { ok: true; kind: 'pass'; kid: string; pass: PassCodeBody }
  | { ok: true; kind: 'health'; kid: string; health: HealthCodeBody }
  | { ok: false; reason: ReasonCode; detail: string };

/**
 * Text from a scanner to a verified code or the reason it is refused. Pure: the trust list and the
 * clock are passed in. The signature is checked before the body is trusted, and the signing key's
 * role (and for passes its province) must match what the body claims.
 */
export function readCode(text: string, trust: TrustList, now: number): ReadCode {
  try {
    const signed = parseSignedCode(text);
    if (signed.kind === 'pass') {
      // Decode first only to learn the claimed province; nothing is trusted until verify passes.
      const pass = decodePassBody(signed.body);
      const key = trust.keyFor(signed.kid, { role: 'transport', province: pass.issuingProvince }, now, pass.issuedAt);
      if (!verifySignedCode(signed, key)) return { ok: false, reason: 'BAD_SIGNATURE', detail: 'signature does not verify' };
      return { ok: true, kind: 'pass', kid: signed.kid, pass };
    }
    const health = decodeHealthBody(signed.body);
    const key = trust.keyFor(signed.kid, { role: 'health' }, now, health.issuedAt);
    if (!verifySignedCode(signed, key)) return { ok: false, reason: 'BAD_SIGNATURE', detail: 'signature does not verify' };
    return { ok: true, kind: 'health', kid: signed.kid, health };
  } catch (err) {
    if (err instanceof CodeError) return { ok: false, reason: err.reason, detail: err.message };
    return { ok: false, reason: 'UNKNOWN_FORMAT', detail: (err as Error).message };
  }
}
