import { samePass } from '../codes/pass-ref.js';
import type { ReadCode } from '../codes/read-code.js';
import type { HealthFlag, PassFacts, PassStatusItem, PersonFacts } from '../contracts/feed.js';
import { zoneLevelOf, type StationContext, type ZoneLevels } from './context.js';
import { addMember, closeCrossing, expireCrossing, openCrossing, presenceKey, type Crossing, type CrossingMember } from './crossing.js';
import { codesOf, finding, verdictOf, type Finding } from './findings.js';
import { checkHealth, effectiveHealth } from './health-check.js';
import { checkPass } from './pass-check.js';
import type { Policy } from './policy.js';
import type { ReasonCode, Verdict } from './reasons.js';

const HOUR = 3_600_000;

/** What the station's cache says about the scanned code's subject (looked up before deciding). */
export interface CachedFacts {
  /** the pass's central record, for a pass scan */
  pass?: PassFacts | null;
  /** the pass's line in the national list of passes not ACTIVE, for a pass scan */
  passStatus?: PassStatusItem | null;
  /** what the centre knows of the person beyond their code (a station: their flag, if any), for a health scan */
  person?: PersonFacts | HealthFlag | null;
  zoneLevels: ZoneLevels;
  /** whether a subject (see `presenceKey`) entered at this checkpoint and has not left */
  isInside: (key: string) => boolean;
}

export interface DecideInput {
  code: ReadCode;
  facts: CachedFacts;
  policy: Policy;
  context: StationContext;
  /** the crossing currently open on this lane, if any */
  crossing: Crossing | null;
  /** id to give a crossing this scan opens (the caller owns id generation; this function is pure) */
  newCrossingId: string;
  now: number;
}

export interface Subject {
  plate: string | null;
  passId: number | null;
  /** the pass's issuing province: with passId, the pass's identity */
  passProvince: number | null;
  passVersion: number | null;
  citizenId: string | null;
  names: string[];
}

export interface Decision {
  verdict: Verdict;
  reasons: ReasonCode[];
  subject: Subject;
  /** the crossing this scan belongs to, after the scan; null when the scan could not be read */
  crossing: Crossing | null;
  /** an earlier crossing on this lane that this scan closed (window passed, or the next vehicle) */
  closed: Crossing | null;
}

const NO_SUBJECT: Subject = { plate: null, passId: null, passProvince: null, passVersion: null, citizenId: null, names: [] };

function staleness(input: DecideInput): Finding[] {
  const { context, policy, now } = input;
  const stale = context.cacheSyncedAt === null || now - context.cacheSyncedAt > policy.maxCacheStaleHours * HOUR;
  return stale ? [finding('CACHE_STALE', policy)] : [];
}

function result(findings: Finding[], subject: Subject, crossing: Crossing | null, closed: Crossing | null): Decision {
  return { verdict: verdictOf(findings), reasons: codesOf(findings), subject, crossing, closed };
}

/**
 * The verdict for one scan: a pure function of the verified code, the cached facts, the policy,
 * the station's context, the lane's open crossing and the clock. No I/O.
 */
export function decide(input: DecideInput): Decision {
  const { code, policy, now } = input;
  let open = input.crossing && expireCrossing(input.crossing, now, policy);
  let closed: Crossing | null = null;
  if (open && open.state === 'closed') {
    closed = open;
    open = null;
  }

  if (!code.ok) return result([finding(code.reason, policy)], NO_SUBJECT, open, closed);
  if (code.kind === 'pass') return decidePass(input, code.pass, open, closed);
  return decideHealth(input, code.health, open, closed);
}

function decidePass(input: DecideInput, code: Extract<ReadCode, { kind: 'pass' }>['pass'], open: Crossing | null, closed: Crossing | null): Decision {
  const { facts, policy, context, now } = input;
  if (open?.pass && samePass(open.pass, code)) {
    // The same sheet read again while its crossing is open: repeat the answer, change nothing.
    const subject = { ...NO_SUBJECT, plate: open.pass.plate, passId: code.passId, passProvince: code.issuingProvince, passVersion: code.version };
    return result([...open.findings, finding('DUPLICATE_READ', policy)], subject, open, closed);
  }
  if (open) closed = closeCrossing(open, 'next-vehicle', policy);

  const inside = facts.isInside(presenceKey.pass(code));
  const { pass, findings } = checkPass({ code, cached: facts.pass, listed: facts.passStatus, context, policy, inside, now });
  findings.push(...staleness(input));
  const crossing = openCrossing({
    id: input.newCrossingId,
    kind: 'vehicle',
    lane: context.lane,
    direction: context.direction,
    openedAt: now,
    closesAt: now + policy.crossingWindowSeconds * 1000,
    pass: { passId: pass.passId, issuingProvince: code.issuingProvince, version: code.version, plate: pass.plate, crew: pass.crew, validTo: pass.validTo },
    findings,
  });
  const subject: Subject = {
    plate: pass.plate,
    passId: pass.passId,
    passProvince: code.issuingProvince,
    passVersion: code.version,
    citizenId: null,
    names: pass.crew.flatMap((c) => (c.name ? [c.name] : [])),
  };
  return result(findings, subject, crossing, closed);
}

function decideHealth(input: DecideInput, code: Extract<ReadCode, { kind: 'health' }>['health'], open: Crossing | null, closed: Crossing | null): Decision {
  const { facts, policy, context, now } = input;
  const health = effectiveHealth(code, facts.person);
  const subject: Subject = { ...NO_SUBJECT, citizenId: code.citizenId, names: health.name ? [health.name] : [] };
  const findings: Finding[] = [];

  if (open && open.kind === 'vehicle' && open.pass) {
    subject.plate = open.pass.plate;
    subject.passId = open.pass.passId;
    subject.passProvince = open.pass.issuingProvince;
    subject.passVersion = open.pass.version;
    const already = open.members.find((m) => m.citizenId === code.citizenId);
    if (already) {
      return { verdict: already.verdict, reasons: [...already.reasons, 'DUPLICATE_READ'], subject, crossing: open, closed };
    }
    const crewEntry = open.pass.crew.find((c) => c.citizenId === code.citizenId);
    if (!crewEntry) findings.push(finding('PERSON_NOT_ON_PASS', policy));
    // The crew come from where the vehicle comes from, or from a worse zone if they declared one.
    const passOrigin = facts.pass && samePass(facts.pass, open.pass) ? facts.pass.originZone : null;
    const originLevel = Math.max(zoneLevelOf(facts.zoneLevels, passOrigin) ?? 0, zoneLevelOf(facts.zoneLevels, health.originZone) ?? 0) || null;
    findings.push(...checkHealth({ health, originLevel, isCrew: true, policy, now }), ...staleness(input));
    const member: CrossingMember = {
      citizenId: code.citizenId,
      name: health.name ?? crewEntry?.name ?? null,
      role: crewEntry?.role ?? 'stranger',
      verdict: verdictOf(findings),
      reasons: codesOf(findings),
    };
    if (member.name && !subject.names.includes(member.name)) subject.names = [member.name];
    return result(findings, subject, addMember(open, member, policy), closed);
  }

  // No vehicle crossing open on this lane: a person on foot or in a private vehicle.
  if (open) closed = closeCrossing(open, 'next-vehicle', policy);
  const originLevel = zoneLevelOf(facts.zoneLevels, health.originZone);
  findings.push(...checkHealth({ health, originLevel, isCrew: false, policy, now }));
  const inside = facts.isInside(presenceKey.person(code.citizenId));
  if (context.direction === 'entry' && inside) findings.push(finding('ALREADY_INSIDE', policy));
  if (context.direction === 'exit' && !inside) findings.push(finding('NOT_INSIDE', policy));
  findings.push(...staleness(input));
  const person = openCrossing({
    id: input.newCrossingId,
    kind: 'person',
    lane: context.lane,
    direction: context.direction,
    openedAt: now,
    closesAt: now,
    pass: null,
    findings: [],
  });
  const member: CrossingMember = { citizenId: code.citizenId, name: health.name, role: 'walk-in', verdict: verdictOf(findings), reasons: codesOf(findings) };
  return result(findings, subject, closeCrossing(addMember(person, member, policy), 'single', policy), closed);
}
