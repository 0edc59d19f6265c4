import { Type, type Static } from '@sinclair/typebox';
import { REASON_CODES, type ReasonCode, type Severity } from './reasons.js';
import { isIntegrityReason } from './policy-floor.js';

const ZoneLevel = Type.Integer({ minimum: 1, maximum: 4 });

/**
 * The decision policy is data, versioned and signed by a `policy` key, so a province can change
 * its rules (72 h tests, 3/5/7 days, which zone levels need a test) without a software release.
 */
export const PolicySchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    issuedAt: Type.Integer({ minimum: 0, description: 'ms since epoch' }),
    testValidityHours: Type.Object({
      RT_PCR: Type.Number({ minimum: 1, maximum: 24 * 30 }),
      RAPID_ANTIGEN: Type.Number({ minimum: 1, maximum: 24 * 30 }),
    }),
    maxDeclarationAgeHours: Type.Number({ minimum: 1, maximum: 24 * 90 }),
    /** Crew of goods vehicles need a negative test regardless of their origin (2021 directives). */
    testRequiredForCrew: Type.Boolean(),
    /** Origin-zone levels (Resolution 128: 1 green … 4 red) from which a test is required. */
    testRequiredZoneLevels: Type.Array(ZoneLevel, { maxItems: 4 }),
    /** Origin-zone levels from which people without a transport pass may not enter. */
    blockedZoneLevels: Type.Array(ZoneLevel, { maxItems: 4 }),
    vaccinationReplacesTest: Type.Boolean(),
    minDosesToReplaceTest: Type.Integer({ minimum: 1, maximum: 10 }),
    antiPassback: Type.Union([Type.Literal('off'), Type.Literal('soft'), Type.Literal('hard')]),
    maxCacheStaleHours: Type.Number({ minimum: 0.01, maximum: 24 * 30 }),
    crossingWindowSeconds: Type.Integer({ minimum: 5, maximum: 3600 }),
    /**
     * Optional per-reason severity overrides, e.g. make a stale declaration DENY instead of REVIEW.
     * The integrity reasons (policy-floor.ts) are never softer than DENY, whatever this says.
     */
    severity: Type.Optional(
      Type.Unsafe<Partial<Record<ReasonCode, Severity>>>(Type.Partial(Type.Record(Type.Union(REASON_CODES.map((c) => Type.Literal(c))), Type.Union([
        Type.Literal('ALLOW'), Type.Literal('DENY'), Type.Literal('REVIEW'), Type.Literal('INFO'),
      ])))),
    ),
  },
  { additionalProperties: false },
);
export type Policy = Static<typeof PolicySchema>;

export const DEFAULT_POLICY: Policy = Object.freeze({
  version: 1,
  issuedAt: 0,
  testValidityHours: { RT_PCR: 72, RAPID_ANTIGEN: 72 },
  maxDeclarationAgeHours: 24 * 7,
  testRequiredForCrew: true,
  testRequiredZoneLevels: [4],
  blockedZoneLevels: [],
  vaccinationReplacesTest: false,
  minDosesToReplaceTest: 2,
  antiPassback: 'soft',
  maxCacheStaleHours: 24,
  crossingWindowSeconds: 120,
}) as Policy;

const BASE_SEVERITY: Record<ReasonCode, Severity> = {
  UNREADABLE: 'DENY',
  SYMBOLOGY_NOT_ALLOWED: 'DENY',
  UNKNOWN_FORMAT: 'DENY',
  BAD_SIGNATURE: 'DENY',
  UNTRUSTED_KEY: 'DENY',
  NOT_IN_WHITELIST: 'DENY',
  REVOKED: 'DENY',
  SUSPENDED: 'DENY',
  PASS_SUPERSEDED: 'DENY',
  NOT_YET_VALID: 'DENY',
  EXPIRED: 'DENY',
  ROUTE_NOT_ALLOWED: 'DENY',
  DIRECTION_NOT_ALLOWED: 'DENY',
  PERSON_NOT_ON_PASS: 'DENY',
  DRIVER_NOT_SCANNED: 'REVIEW',
  HEALTH_DECLARATION_MISSING: 'REVIEW',
  HEALTH_DECLARATION_STALE: 'REVIEW',
  TEST_REQUIRED: 'DENY',
  TEST_EXPIRED: 'DENY',
  POSITIVE_OR_CONTACT: 'DENY',
  ORIGIN_ZONE_RESTRICTED: 'DENY',
  ALREADY_INSIDE: 'REVIEW',
  NOT_INSIDE: 'REVIEW',
  CACHE_STALE: 'REVIEW',
  DUPLICATE_READ: 'INFO',
  OFFICER_OVERRIDE: 'INFO',
};

export function severityOf(code: ReasonCode, policy: Policy): Severity {
  if (code === 'ALREADY_INSIDE' || code === 'NOT_INSIDE') {
    if (policy.antiPassback === 'hard') return 'DENY';
    if (policy.antiPassback === 'off') return 'INFO';
  }
  // The integrity floor holds whatever a policy says (policy-floor.ts): fail closed.
  if (isIntegrityReason(code)) return 'DENY';
  return policy.severity?.[code] ?? BASE_SEVERITY[code];
}
