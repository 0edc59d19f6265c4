import type { ReasonCode } from './reasons.js';
import type { Policy } from './policy.js';

/**
 * The integrity floor: reasons that say the code itself cannot be trusted (unreadable, forged, signed
 * by a key nobody trusts, revoked or replaced centrally). No policy may make them softer than DENY,
 * or one signed policy could switch off signature checking on every station at once. The server
 * refuses such a policy at publication; a station that receives one anyway ignores the softening.
 */
export const INTEGRITY_REASONS = ['UNREADABLE', 'UNKNOWN_FORMAT', 'BAD_SIGNATURE', 'UNTRUSTED_KEY', 'REVOKED', 'PASS_SUPERSEDED'] as const satisfies readonly ReasonCode[];

export function isIntegrityReason(code: ReasonCode): boolean {
  return (INTEGRITY_REASONS as readonly ReasonCode[]).includes(code);
}

/** The integrity reasons this policy tries to make softer than DENY (empty for a sound policy). */
export function softenedIntegrityReasons(policy: Pick<Policy, 'severity'>): ReasonCode[] {
  const overrides = policy.severity ?? {};
  return INTEGRITY_REASONS.filter((code) => overrides[code] !== undefined && overrides[code] !== 'DENY');
}

/** The policy with any softening of an integrity reason removed (fail closed); the same object when there is none. */
export function withIntegrityFloor<P extends Pick<Policy, 'severity'>>(policy: P): P {
  const softened = softenedIntegrityReasons(policy);
  if (softened.length === 0) return policy;
  const severity = { ...policy.severity };
  for (const code of softened) delete severity[code];
  return { ...policy, severity };
}
