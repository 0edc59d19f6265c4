import { passRef, type PassIdentity } from '../codes/pass-ref.js';
import { codesOf, finding, verdictOf, type Finding } from './findings.js';
import type { Policy } from './policy.js';
import { worstVerdict, type ReasonCode, type Verdict } from './reasons.js';

export interface CrossingMember {
  citizenId: string;
  name: string | null;
  role: 'driver' | 'assistant' | 'stranger' | 'walk-in';
  verdict: Verdict;
  reasons: ReasonCode[];
}

export interface CrossingPass {
  passId: number;
  issuingProvince: number;
  version: number;
  plate: string;
  crew: { citizenId: string; name: string | null; role: 'driver' | 'assistant' }[];
  validTo: number | null;
}

/**
 * One vehicle (its pass and the crew's health scans) or one person on foot, through one lane in one
 * direction. Open while the crew is being scanned; closed when all crew are in, the window ends, or
 * the next vehicle's pass is scanned on the lane.
 */
export interface Crossing {
  id: string;
  kind: 'vehicle' | 'person';
  lane: string;
  direction: 'entry' | 'exit';
  openedAt: number;
  closesAt: number;
  state: 'open' | 'closed';
  pass: CrossingPass | null;
  /** findings about the crossing itself: the pass's, and those raised on closing */
  findings: Finding[];
  members: CrossingMember[];
  verdict: Verdict;
  reasons: ReasonCode[];
  /** 'override': an officer's manual verdict closed it before the crew were all scanned */
  closedBy: 'complete' | 'timeout' | 'next-vehicle' | 'single' | 'override' | null;
}

/**
 * The crossing `c` with its members, findings, state or closer replaced, and its verdict and reasons
 * worked out again from its findings and members. Built field by field: a spread of an object this
 * wide costs a dictionary-mode copy, several on every scan.
 */
function rebuilt(c: Crossing, members: CrossingMember[], findings: Finding[], state: Crossing['state'], closedBy: Crossing['closedBy']): Crossing {
  let verdict = verdictOf(findings);
  const reasons = codesOf(findings);
  for (const m of members) {
    verdict = worstVerdict(verdict, m.verdict);
    for (const r of m.reasons) if (!reasons.includes(r)) reasons.push(r);
  }
  return {
    id: c.id, kind: c.kind, lane: c.lane, direction: c.direction, openedAt: c.openedAt, closesAt: c.closesAt,
    state, pass: c.pass, findings, members, verdict, reasons, closedBy,
  };
}

export function openCrossing(init: Omit<Crossing, 'state' | 'verdict' | 'reasons' | 'closedBy' | 'members'>): Crossing {
  return rebuilt(init as Crossing, [], init.findings, 'open', null);
}

export function addMember(c: Crossing, m: CrossingMember, policy: Policy): Crossing {
  const next = rebuilt(c, [...c.members, m], c.findings, c.state, c.closedBy);
  const crewDone = c.pass !== null && c.pass.crew.every((p) => next.members.some((x) => x.citizenId === p.citizenId));
  return crewDone ? closeCrossing(next, 'complete', policy) : next;
}

export function closeCrossing(c: Crossing, by: NonNullable<Crossing['closedBy']>, policy: Policy): Crossing {
  if (c.state === 'closed') return c;
  const findings = [...c.findings];
  const driver = c.pass?.crew.find((p) => p.role === 'driver');
  if (driver && !c.members.some((m) => m.citizenId === driver.citizenId)) findings.push(finding('DRIVER_NOT_SCANNED', policy));
  return rebuilt(c, c.members, findings, 'closed', by);
}

/** Close an open crossing whose window has passed; the station calls this on a timer and before each scan. */
export function expireCrossing(c: Crossing, now: number, policy: Policy): Crossing {
  return c.state === 'open' && now >= c.closesAt ? closeCrossing(c, 'timeout', policy) : c;
}

/** Keys of who can be inside a checkpoint's area: a vehicle by its pass, a person on foot by citizen id. */
export const presenceKey = {
  /** `pass:79-17`: a pass is known by its issuing province and id together (see pass-ref.ts). */
  pass: (p: PassIdentity) => `pass:${passRef(p.issuingProvince, p.passId)}`,
  person: (citizenId: string) => `person:${citizenId}`,
};

/** What a closed crossing means for who is inside: entering with ALLOW puts the subject inside. */
export function presenceChange(c: Crossing): { key: string; inside: boolean } | null {
  if (c.state !== 'closed' || c.verdict !== 'ALLOW') return null;
  const key = c.pass ? presenceKey.pass(c.pass) : c.members[0] ? presenceKey.person(c.members[0].citizenId) : null;
  return key ? { key, inside: c.direction === 'entry' } : null;
}
