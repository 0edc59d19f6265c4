import { describe, expect, it } from 'vitest';
import { applyOverride } from '../../shared/rules/override.js';
import { REASON_CODES, REASONS, type ReasonCode } from '../../shared/rules/reasons.js';
import { HOUR, Lane, NOW } from './decide-harness.js';

const DAY = 24 * HOUR;

/** One scenario per reason code, each reaching it through decide() (OFFICER_OVERRIDE through applyOverride). */
const reach: Record<ReasonCode, () => { verdict: string; reasons: string[] }> = {
  UNREADABLE: () => new Lane().scanUnreadable('UNREADABLE'),
  SYMBOLOGY_NOT_ALLOWED: () => new Lane().scanUnreadable('SYMBOLOGY_NOT_ALLOWED'),
  UNKNOWN_FORMAT: () => new Lane().scan('HELLO WORLD'),
  BAD_SIGNATURE: () => {
    const lane = new Lane();
    const { code } = lane.auth.issuePass();
    const i = code.length - 10;
    return lane.scan(code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1));
  },
  UNTRUSTED_KEY: () => {
    const lane = new Lane();
    const other = new Lane();
    return lane.scan(other.auth.issuePass().code);
  },
  NOT_IN_WHITELIST: () => {
    const lane = new Lane();
    return lane.scan(lane.auth.issuePass({ issuedAt: NOW - DAY }).code);
  },
  REVOKED: () => scanPass({ status: 'REVOKED' }),
  SUSPENDED: () => scanPass({ status: 'SUSPENDED' }),
  PASS_SUPERSEDED: () => {
    const lane = new Lane();
    const v1 = lane.auth.issuePass({ passId: 900 });
    lane.cache({ ...v1.facts, version: 2 });
    return lane.scan(v1.code);
  },
  NOT_YET_VALID: () => scanPass({ validFrom: NOW + HOUR }),
  EXPIRED: () => scanPass({ validTo: NOW - HOUR }),
  ROUTE_NOT_ALLOWED: () => scanPass({ routeCheckpoints: [1234] }),
  DIRECTION_NOT_ALLOWED: () => scanPass({ direction: 'exit' }),
  PERSON_NOT_ON_PASS: () => {
    const lane = new Lane();
    const p = lane.auth.issuePass();
    lane.cache(p.facts);
    lane.scan(p.code);
    return lane.scan(lane.auth.issueHealth().code);
  },
  DRIVER_NOT_SCANNED: () => {
    const lane = new Lane();
    const p = lane.auth.issuePass();
    lane.cache(p.facts);
    lane.scan(p.code);
    lane.now += 10 * 60_000;
    return lane.scan(lane.auth.issuePass({ plate: '29C-999.99' }).code).closed!;
  },
  HEALTH_DECLARATION_MISSING: () => walkIn({ declaredAt: null }),
  HEALTH_DECLARATION_STALE: () => walkIn({ declaredAt: NOW - 30 * DAY }),
  TEST_REQUIRED: () => crewMember({ test: null }),
  TEST_EXPIRED: () => crewMember({ test: { type: 'RT_PCR', result: 'NEGATIVE', sampledAt: NOW - 80 * HOUR } }),
  POSITIVE_OR_CONTACT: () => walkIn({ status: 'F1' }),
  ORIGIN_ZONE_RESTRICTED: () => {
    const lane = new Lane();
    lane.policy = { ...lane.policy, blockedZoneLevels: [4] };
    lane.zones.set('01', 4);
    return lane.scan(lane.auth.issueHealth({ originZone: '01-001' }).code);
  },
  ALREADY_INSIDE: () => {
    const lane = new Lane();
    const h = lane.auth.issueHealth();
    lane.scan(h.code);
    return lane.scan(h.code);
  },
  NOT_INSIDE: () => {
    const lane = new Lane();
    lane.context = { ...lane.context, direction: 'exit' };
    return lane.scan(lane.auth.issueHealth().code);
  },
  CACHE_STALE: () => {
    const lane = new Lane();
    lane.context = { ...lane.context, cacheSyncedAt: NOW - 3 * DAY };
    return lane.scan(lane.auth.issueHealth().code);
  },
  DUPLICATE_READ: () => {
    const lane = new Lane();
    const p = lane.auth.issuePass();
    lane.cache(p.facts);
    lane.scan(p.code);
    return lane.scan(p.code);
  },
  OFFICER_OVERRIDE: () => {
    const lane = new Lane();
    const d = lane.scan(lane.auth.issueHealth({ declaredAt: null }).code);
    return applyOverride(d.crossing!, { verdict: 'ALLOW', officer: 'officer-07', note: 'Đã kiểm tra giấy tờ gốc' });
  },
};

function scanPass(spec: Parameters<Lane['auth']['issuePass']>[0]) {
  const lane = new Lane();
  const p = lane.auth.issuePass(spec);
  lane.cache(p.facts);
  return lane.scan(p.code);
}

function walkIn(spec: Parameters<Lane['auth']['issueHealth']>[0]) {
  const lane = new Lane();
  return lane.scan(lane.auth.issueHealth(spec).code);
}

function crewMember(spec: Parameters<Lane['auth']['issueHealth']>[0]) {
  const lane = new Lane();
  const p = lane.auth.issuePass();
  lane.cache(p.facts);
  lane.scan(p.code);
  return lane.scan(lane.auth.issueHealth({ ...spec, citizenId: p.facts.crew[0]!.citizenId }).code);
}

describe('every reason code is reachable through the decision', () => {
  it('the table covers every reason code, each with Vietnamese and English text', () => {
    expect(Object.keys(reach).sort()).toEqual([...REASON_CODES].sort());
    for (const code of REASON_CODES) {
      expect(REASONS[code].vi.length).toBeGreaterThan(3);
      expect(REASONS[code].en.length).toBeGreaterThan(3);
    }
  });

  for (const code of REASON_CODES) {
    it(`reaches ${code}`, () => {
      const d = reach[code]();
      expect(d.reasons).toContain(code);
      if (code !== 'DUPLICATE_READ' && code !== 'OFFICER_OVERRIDE') expect(d.verdict).not.toBe('ALLOW');
    });
  }
});
