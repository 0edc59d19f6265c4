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

function aggregate(c: Crossing): Crossing {
  const verdict = worstVerdict(verdictOf(c.findings), ...c.members.map((m) => m.verdict));
  const reasons = [...new Set([...codesOf(c.findings), ...c.members.flatMap((m) => m.reasons)])];
  return { ...c, verdict, reasons };
}

export function openCrossing(init: Omit<Crossing, 'state' | 'verdict' | 'reasons' | 'closedBy' | 'members'>): Crossing {
  return aggregate({ ...init, members: [], state: 'open', verdict: 'ALLOW', reasons: [], closedBy: null });
}

export function addMember(c: Crossing, m: CrossingMember, policy: Policy): Crossing {
  const next = aggregate({ ...c, members: [...c.members, m] });
  const crewDone = c.pass !== null && c.pass.crew.every((p) => next.members.some((x) => x.citizenId === p.citizenId));
  return crewDone ? closeCrossing(next, 'complete', policy) : next;
}

export function closeCrossing(c: Crossing, by: NonNullable<Crossing['closedBy']>, policy: Policy): Crossing {
  if (c.state === 'closed') return c;
  const findings = [...c.findings];
  const driver = c.pass?.crew.find((p) => p.role === 'driver');
  if (driver && !c.members.some((m) => m.citizenId === driver.citizenId)) findings.push(finding('DRIVER_NOT_SCANNED', policy));
  return { ...aggregate({ ...c, findings }), state: 'closed', closedBy: by };
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
