import type { HealthCodeBody, TestRecord } from '../codes/health-code.js';
import type { HealthFlag, PersonFacts } from '../contracts/feed.js';
import { finding, type Finding } from './findings.js';
import type { Policy } from './policy.js';

const HOUR = 3_600_000;

/** The person's health as best known: the later of what the code says and what the centre says. */
export interface EffectiveHealth {
  citizenId: string;
  name: string | null;
  declaredAt: number | null;
  originZone: string | null;
  test: TestRecord | null;
  doses: number;
  status: 'NONE' | 'F0' | 'F1';
}

/**
 * `cached` is what the centre knows beyond the code: a station holds only the national flag list (a
 * person it does not name is decided from their code alone); the server holds whole records.
 */
export function effectiveHealth(code: HealthCodeBody, cached: PersonFacts | HealthFlag | null | undefined): EffectiveHealth {
  if (!cached) return { ...code, name: null };
  if (cached.type === 'flag') {
    const test = cached.test && (code.test === null || cached.test.sampledAt >= code.test.sampledAt) ? cached.test : code.test;
    // Central status wins on a tie, as below.
    return { ...code, name: null, test, status: cached.statusAsOf >= code.statusAsOf ? cached.status : code.status };
  }
  const later = <T>(a: T | null, aAt: number | null, b: T | null, bAt: number | null): T | null =>
    (bAt ?? -1) >= (aAt ?? -1) ? (b ?? a) : (a ?? b);
  const declCentral = (cached.declaredAt ?? -1) >= (code.declaredAt ?? -1);
  return {
    citizenId: code.citizenId,
    name: cached.name,
    declaredAt: declCentral ? (cached.declaredAt ?? code.declaredAt) : code.declaredAt,
    originZone: declCentral ? (cached.originZone ?? code.originZone) : (code.originZone ?? cached.originZone),
    test: later(code.test, code.test?.sampledAt ?? null, cached.test, cached.test?.sampledAt ?? null),
    doses: Math.max(code.doses, cached.doses),
    // Central status wins on a tie: an F1 flag imported centrally is not undone by an older code.
    status: cached.statusAsOf >= code.statusAsOf ? cached.status : code.status,
  };
}

export interface HealthCheckInput {
  health: EffectiveHealth;
  /** highest epidemic level among the zones the person comes from, null when unknown */
  originLevel: number | null;
  /** crew of a goods vehicle (as opposed to a walk-in or private vehicle) */
  isCrew: boolean;
  policy: Policy;
  now: number;
}

export function checkHealth({ health, originLevel, isCrew, policy, now }: HealthCheckInput): Finding[] {
  const out: Finding[] = [];
  const test = health.test;
  const testAgeH = test ? (now - test.sampledAt) / HOUR : Infinity;
  const testFresh = test !== null && testAgeH <= policy.testValidityHours[test.type] && testAgeH >= -1;

  if (health.status !== 'NONE' || (test?.result === 'POSITIVE' && testFresh)) out.push(finding('POSITIVE_OR_CONTACT', policy));

  if (health.declaredAt === null) out.push(finding('HEALTH_DECLARATION_MISSING', policy));
  else if ((now - health.declaredAt) / HOUR > policy.maxDeclarationAgeHours) out.push(finding('HEALTH_DECLARATION_STALE', policy));

  if (!isCrew && originLevel !== null && policy.blockedZoneLevels.includes(originLevel)) {
    out.push(finding('ORIGIN_ZONE_RESTRICTED', policy));
  }

  const exempt = policy.vaccinationReplacesTest && health.doses >= policy.minDosesToReplaceTest;
  const needTest = !exempt && ((isCrew && policy.testRequiredForCrew) || (originLevel !== null && policy.testRequiredZoneLevels.includes(originLevel)));
  if (needTest) {
    if (test === null) out.push(finding('TEST_REQUIRED', policy));
    else if (!testFresh) out.push(finding('TEST_EXPIRED', policy));
  }
  return out;
}
