import { passRef, type PassIdentity } from '../../shared/codes/pass-ref.js';
import type { PassFacts } from '../../shared/contracts/feed.js';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import type { Crossing } from '../../shared/rules/crossing.js';
import type { ReasonCode, Verdict } from '../../shared/rules/reasons.js';
import type { VerdictEvent } from '../engine/engine.js';
import { crossingFindings, healthView, misreadCause, scanFindings, type HealthView, type ReasonView, type SeverityOf } from './findings-view.js';
import { DEFAULT_POLICY, severityOf } from '../../shared/rules/policy.js';

/**
 * What the officer's screen receives: plain JSON built on the station, with citizen ids already
 * masked (the full id never reaches the browser) and a redacted copy for a screen nobody signed in to.
 */

export interface PersonView {
  role: 'driver' | 'assistant' | 'stranger' | 'walk-in';
  /** null when redacted */
  name: string | null;
  /** the id masked but for its last digits; null when redacted */
  idMasked: string | null;
  /** PENDING: not scanned yet in an open crossing; MISSING: the crossing closed without them */
  status: Verdict | 'PENDING' | 'MISSING';
  reasons: ReasonCode[];
  /** what the person's health code said (scans of a health code only); null when redacted */
  health?: HealthView | null;
}

export interface PassView {
  passId: number;
  /** with passId, the pass's identity: two provinces' pass 17 are different passes */
  issuingProvince: number;
  /** the pass's ref as printed and searched, e.g. "79-17" */
  ref: string;
  version: number;
  plate: string;
  /** null when the pass is not in the station's cache (then only what the code says is known) */
  status: PassFacts['status'] | null;
  statusReason: string | null;
  company: string | null;
  goods: number | null;
  validFrom: number | null;
  validTo: number | null;
  routeCheckpoints: number[];
  routeProvinces: number[];
  originZone: string | null;
  direction: PassFacts['direction'] | null;
  crew: PersonView[];
}

export interface OverrideView {
  seq: number;
  at: number;
  verdict: Verdict;
  officer: string;
  /** null when redacted: a note may name people */
  note: string | null;
}

export interface CrossingView {
  id: string;
  kind: 'vehicle' | 'person';
  lane: string;
  direction: 'entry' | 'exit';
  state: 'open' | 'closed';
  verdict: Verdict;
  /** what the rules decided, kept beside an officer's override */
  autoVerdict: Verdict;
  reasons: ReasonCode[];
  /** the reasons worst first, each naming whom it concerns */
  findings: ReasonView[];
  closedBy: Crossing['closedBy'];
  openedAt: number;
  closesAt: number;
  plate: string | null;
  people: PersonView[];
  override: OverrideView | null;
}

export interface DecisionView {
  seq: number;
  at: number;
  lane: string;
  direction: 'entry' | 'exit';
  scannerId: string;
  verdict: Verdict;
  reasons: ReasonCode[];
  codeKind: 'pass' | 'health' | 'none';
  /** technical detail of a refused read: shown only behind the screen's "details" toggle */
  detail: string | null;
  /** the code could not be read (a cause such as LINE_TOO_LONG or UNKNOWN_FORMAT): re-scan; null when read */
  misread: string | null;
  findings: ReasonView[];
  plate: string | null;
  /** the person this scan was about (a health code) */
  person: PersonView | null;
  pass: PassView | null;
  crossing: CrossingView | null;
  decideMs: number;
}

/** Keep the last `keep` digits (4 by default) of a citizen id. */
export function maskId(id: string, keep = 4): string {
  const shown = Math.min(keep, Math.max(0, id.length - 4));
  return '•'.repeat(id.length - shown) + id.slice(id.length - shown);
}

/** Severities of the built-in policy; the screen passes the station's current policy when it has one. */
export const defaultSeverity: SeverityOf = (code) => severityOf(code, DEFAULT_POLICY);

export function crossingView(c: Crossing, override: OverrideView | null = null, severity: SeverityOf = defaultSeverity): CrossingView {
  const people: PersonView[] = [];
  for (const crew of c.pass?.crew ?? []) {
    const m = c.members.find((x) => x.citizenId === crew.citizenId);
    people.push({
      role: crew.role,
      name: m?.name ?? crew.name,
      idMasked: maskId(crew.citizenId),
      status: m ? m.verdict : c.state === 'open' ? 'PENDING' : 'MISSING',
      reasons: m?.reasons ?? [],
    });
  }
  for (const m of c.members) {
    if (c.pass?.crew.some((x) => x.citizenId === m.citizenId)) continue;
    people.push({ role: m.role, name: m.name, idMasked: maskId(m.citizenId), status: m.verdict, reasons: m.reasons });
  }
  return {
    id: c.id,
    kind: c.kind,
    lane: c.lane,
    direction: c.direction,
    state: c.state,
    verdict: override?.verdict ?? c.verdict,
    autoVerdict: c.verdict,
    reasons: c.reasons,
    findings: crossingFindings(c, severity),
    closedBy: c.closedBy,
    openedAt: c.openedAt,
    closesAt: c.closesAt,
    plate: c.pass?.plate ?? null,
    people,
    override,
  };
}

export function passView(facts: PassFacts): PassView {
  return {
    passId: facts.passId,
    issuingProvince: facts.issuingProvince,
    ref: passRef(facts.issuingProvince, facts.passId),
    version: facts.version,
    plate: facts.plate,
    status: facts.status,
    statusReason: facts.statusReason,
    company: facts.company,
    goods: facts.goods,
    validFrom: facts.validFrom,
    validTo: facts.validTo,
    routeCheckpoints: facts.routeCheckpoints,
    routeProvinces: facts.routeProvinces,
    originZone: facts.originZone,
    direction: facts.direction,
    crew: facts.crew.map((c) => ({ role: c.role, name: c.name, idMasked: maskId(c.citizenId), status: 'PENDING', reasons: [] })),
  };
}

/** A pass the cache does not hold: what the crossing knows from the code. */
function passFromCrossing(c: Crossing): PassView | null {
  const p = c.pass;
  if (!p) return null;
  return {
    passId: p.passId, issuingProvince: p.issuingProvince, ref: passRef(p.issuingProvince, p.passId), version: p.version, plate: p.plate, status: null, statusReason: null, company: null, goods: null,
    validFrom: null, validTo: p.validTo, routeCheckpoints: [], routeProvinces: [], originZone: null, direction: null,
    crew: p.crew.map((x) => ({ role: x.role, name: x.name, idMasked: maskId(x.citizenId), status: 'PENDING', reasons: [] })),
  };
}

export function overrideView(record: JournalRecord): OverrideView {
  return { seq: record.seq, at: record.at, verdict: record.verdict, officer: record.officer ?? '', note: record.note };
}

export interface ViewSources {
  getPass: (id: PassIdentity) => PassFacts | null;
  zoneLevel: (zone: string) => 1 | 2 | 3 | 4 | null;
  severity: SeverityOf;
}

export function decisionView(v: VerdictEvent, src: ViewSources, override: OverrideView | null = null): DecisionView {
  const { passId, passProvince } = v.subject;
  const facts = passId !== null && passProvince !== null ? src.getPass({ issuingProvince: passProvince, passId }) : null;
  const crossing = v.crossing ? crossingView(v.crossing, override, src.severity) : null;
  let person: PersonView | null = null;
  if (v.subject.citizenId !== null) {
    const id = v.subject.citizenId;
    const member = v.crossing?.members.find((m) => m.citizenId === id);
    const role = member?.role ?? v.crossing?.pass?.crew.find((c) => c.citizenId === id)?.role ?? 'walk-in';
    person = {
      role, name: member?.name ?? v.subject.names[0] ?? null, idMasked: maskId(id), status: v.verdict, reasons: v.reasons,
      health: v.health ? healthView(v.health, src.zoneLevel) : null,
    };
  }
  return {
    seq: v.seq,
    at: v.at,
    lane: v.lane,
    direction: v.direction,
    scannerId: v.scannerId,
    verdict: v.verdict,
    reasons: v.reasons,
    codeKind: v.codeKind,
    detail: v.detail,
    misread: misreadCause(v.codeKind, v.reasons, v.detail),
    findings: crossing ? crossing.findings : scanFindings(v.reasons, src.severity),
    plate: v.subject.plate,
    person,
    pass: facts ? passView(facts) : v.crossing ? passFromCrossing(v.crossing) : null,
    crossing,
    decideMs: v.decideMs,
  };
}

// Redaction for a screen nobody is signed in to: no names, no ids, no officer's notes.

const redactPerson = (p: PersonView): PersonView => ({ ...p, name: null, idMasked: null, health: null });
const redactFindings = (f: ReasonView[]): ReasonView[] => f.map((r) => ({ ...r, who: r.who.map((w) => (w.role === 'vehicle' ? w : { ...w, name: null })) }));

export function redactCrossing(c: CrossingView): CrossingView {
  return { ...c, people: c.people.map(redactPerson), findings: redactFindings(c.findings), override: c.override && { ...c.override, note: null } };
}

export function redactPass(p: PassView): PassView {
  return { ...p, crew: p.crew.map(redactPerson) };
}

export function redactDecision(d: DecisionView): DecisionView {
  return {
    ...d,
    person: d.person && redactPerson(d.person),
    findings: redactFindings(d.findings),
    pass: d.pass && redactPass(d.pass),
    crossing: d.crossing && redactCrossing(d.crossing),
  };
}
