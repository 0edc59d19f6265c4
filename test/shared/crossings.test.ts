import { presenceKey } from '../../shared/rules/crossing.js';
import { describe, expect, it } from 'vitest';
import { HOUR, Lane, NOW } from './decide-harness.js';

const DAY = 24 * HOUR;

function vehicle(lane: Lane, spec: Parameters<Lane['auth']['issuePass']>[0] = {}) {
  const pass = lane.auth.issuePass(spec);
  lane.cache(pass.facts);
  const crew = pass.facts.crew.map((c) => lane.auth.issueHealth({ citizenId: c.citizenId, name: c.name }));
  for (const c of crew) lane.cache(c.facts);
  return { pass, crew };
}

describe('vehicle crossings', () => {
  it('full crew healthy: ALLOW, closed when the last crew member is scanned, vehicle then inside', () => {
    const lane = new Lane();
    const { pass, crew } = vehicle(lane);
    const first = lane.scan(pass.code);
    expect(first.verdict).toBe('ALLOW');
    expect(first.subject.plate).toBe('51C-123.45');
    expect(first.crossing?.state).toBe('open');
    expect(lane.scan(crew[0]!.code).crossing?.state).toBe('open');
    const last = lane.scan(crew[1]!.code);
    expect(last.crossing).toMatchObject({ state: 'closed', closedBy: 'complete', verdict: 'ALLOW' });
    expect(last.crossing?.members.map((m) => m.role)).toEqual(['driver', 'assistant']);
    expect(lane.inside.has(presenceKey.pass(pass.facts))).toBe(true);
  });

  it('one crew member flagged F1 at the centre after the code was issued: crossing DENY', () => {
    const lane = new Lane();
    const { pass, crew } = vehicle(lane);
    lane.cache({ ...crew[1]!.facts, status: 'F1', statusAsOf: NOW - HOUR });
    lane.scan(pass.code);
    expect(lane.scan(crew[0]!.code).verdict).toBe('ALLOW');
    const flagged = lane.scan(crew[1]!.code);
    expect(flagged).toMatchObject({ verdict: 'DENY', reasons: ['POSITIVE_OR_CONTACT'] });
    expect(flagged.crossing).toMatchObject({ state: 'closed', verdict: 'DENY' });
    expect(lane.inside.size).toBe(0);
  });

  it('a stranger scanned into the crossing: that scan and the crossing are DENY', () => {
    const lane = new Lane();
    const { pass, crew } = vehicle(lane);
    lane.scan(pass.code);
    lane.scan(crew[0]!.code);
    const stranger = lane.scan(lane.auth.issueHealth({ name: 'Người Lạ' }).code);
    expect(stranger.verdict).toBe('DENY');
    expect(stranger.reasons).toContain('PERSON_NOT_ON_PASS');
    expect(stranger.crossing?.verdict).toBe('DENY');
    expect(stranger.crossing?.members.at(-1)?.role).toBe('stranger');
  });

  it('the window timing out: closed on the next scan after it, REVIEW when the driver never scanned', () => {
    const lane = new Lane();
    const { pass, crew } = vehicle(lane);
    lane.scan(pass.code);
    lane.now += (lane.policy.crossingWindowSeconds + 1) * 1000;
    const next = lane.scan(crew[0]!.code);
    expect(next.closed).toMatchObject({ closedBy: 'timeout', verdict: 'REVIEW' });
    expect(next.closed?.reasons).toContain('DRIVER_NOT_SCANNED');
    // The late crew scan is then a person on foot, not part of the closed crossing.
    expect(next.crossing?.kind).toBe('person');
  });

  it('a timed-out crossing with the driver scanned is ALLOW (assistants may be absent)', () => {
    const lane = new Lane();
    const { pass, crew } = vehicle(lane);
    lane.scan(pass.code);
    lane.scan(crew[0]!.code);
    lane.now += (lane.policy.crossingWindowSeconds + 1) * 1000;
    const next = lane.scan(lane.auth.issuePass({ plate: '29C-111.11' }).code);
    expect(next.closed).toMatchObject({ closedBy: 'timeout', verdict: 'ALLOW' });
  });

  it('a pass extended until further notice at the centre is valid although its printed date passed', () => {
    const lane = new Lane();
    const { pass } = vehicle(lane, { validTo: NOW - DAY });
    expect(lane.scan(pass.code).reasons).toContain('EXPIRED');
    const extended = new Lane();
    const again = vehicle(extended, { validTo: NOW - DAY });
    extended.cache({ ...again.pass.facts, validTo: null });
    expect(extended.scan(again.pass.code)).toMatchObject({ verdict: 'ALLOW', reasons: [] });
  });

  it('a revoked pass is denied however good its signature', () => {
    const lane = new Lane();
    const { pass } = vehicle(lane);
    lane.cache({ ...pass.facts, status: 'REVOKED', statusReason: 'Đi sai lộ trình' });
    expect(lane.scan(pass.code)).toMatchObject({ verdict: 'DENY', reasons: ['REVOKED'] });
  });

  it('exit after entry clears the vehicle; exit without entry is NOT_INSIDE (soft: REVIEW, hard: DENY)', () => {
    const lane = new Lane();
    const { pass, crew } = vehicle(lane);
    for (const c of [pass, ...crew]) lane.scan(c.code);
    lane.context = { ...lane.context, direction: 'exit' };
    for (const c of [pass, ...crew]) lane.scan(c.code);
    expect(lane.closedCrossings.at(-1)).toMatchObject({ direction: 'exit', verdict: 'ALLOW' });
    expect(lane.inside.size).toBe(0);

    const soft = new Lane();
    soft.context = { ...soft.context, direction: 'exit' };
    const v = vehicle(soft);
    expect(soft.scan(v.pass.code)).toMatchObject({ verdict: 'REVIEW', reasons: ['NOT_INSIDE'] });
    const hard = new Lane();
    hard.context = { ...hard.context, direction: 'exit' };
    hard.policy = { ...hard.policy, antiPassback: 'hard' };
    const w = vehicle(hard);
    expect(hard.scan(w.pass.code)).toMatchObject({ verdict: 'DENY', reasons: ['NOT_INSIDE'] });
  });
});

describe('people on foot or in private vehicles', () => {
  it('a walk-in person gets a person-only crossing, closed at once', () => {
    const lane = new Lane();
    const d = lane.scan(lane.auth.issueHealth({ name: 'Phạm Thị Bộ Hành' }).code);
    expect(d).toMatchObject({ verdict: 'ALLOW', reasons: [] });
    expect(d.crossing).toMatchObject({ kind: 'person', state: 'closed', closedBy: 'single' });
    expect(d.crossing?.members[0]?.role).toBe('walk-in');
  });

  it('origin zone at level 4 needs a recent negative test; level 2 does not', () => {
    const lane = new Lane();
    lane.zones.set('01', 4);
    lane.zones.set('79', 2);
    const noTest = { test: null } as const;
    expect(lane.scan(lane.auth.issueHealth({ ...noTest, originZone: '01-005' }).code)).toMatchObject({ verdict: 'DENY', reasons: ['TEST_REQUIRED'] });
    expect(lane.scan(lane.auth.issueHealth({ ...noTest, originZone: '79-760' }).code)).toMatchObject({ verdict: 'ALLOW' });
    const tested = lane.auth.issueHealth({ originZone: '01-005', test: { type: 'RT_PCR', result: 'NEGATIVE', sampledAt: NOW - 20 * HOUR } });
    expect(lane.scan(tested.code).verdict).toBe('ALLOW');
  });

  it('policy is data: a 3-day rule versus a 7-day rule, and vaccination replacing the test', () => {
    const lane = new Lane();
    lane.zones.set('01', 4);
    const fiveDays = lane.auth.issueHealth({ originZone: '01', test: { type: 'RT_PCR', result: 'NEGATIVE', sampledAt: NOW - 5 * DAY } });
    expect(lane.scan(fiveDays.code).reasons).toEqual(['TEST_EXPIRED']);
    lane.policy = { ...lane.policy, testValidityHours: { RT_PCR: 7 * 24, RAPID_ANTIGEN: 72 } };
    lane.inside.clear();
    expect(lane.scan(fiveDays.code).verdict).toBe('ALLOW');
    lane.policy = { ...lane.policy, testValidityHours: { RT_PCR: 72, RAPID_ANTIGEN: 72 }, vaccinationReplacesTest: true, minDosesToReplaceTest: 2 };
    lane.inside.clear();
    expect(lane.scan(fiveDays.code).verdict).toBe('ALLOW');
  });

  it('a positive test within its validity is DENY even with no F0 flag', () => {
    const lane = new Lane();
    const d = lane.scan(lane.auth.issueHealth({ test: { type: 'RAPID_ANTIGEN', result: 'POSITIVE', sampledAt: NOW - 2 * HOUR } }).code);
    expect(d).toMatchObject({ verdict: 'DENY' });
    expect(d.reasons).toContain('POSITIVE_OR_CONTACT');
  });

  it('a central clearance newer than the code lifts an F1 flag printed in the code', () => {
    const lane = new Lane();
    const h = lane.auth.issueHealth({ status: 'F1', statusAsOf: NOW - 5 * DAY });
    lane.cache({ ...h.facts, status: 'NONE', statusAsOf: NOW - DAY });
    expect(lane.scan(h.code).verdict).toBe('ALLOW');
  });
});
