import type { HealthCodeBody } from '../../shared/codes/health-code.js';
import { zoneName } from '../../shared/geo/zone-name.js';
import { zoneLevelOf } from '../../shared/rules/context.js';
import type { Crossing } from '../../shared/rules/crossing.js';
import { REASON_CODES, type ReasonCode, type Severity } from '../../shared/rules/reasons.js';

/**
 * What the officer reads under a verdict: each reason with its severity and whom it concerns, worst
 * first; a misread as its own state; a person's health facts in words. Built on the station, so the
 * browser only lays it out.
 */

export type SeverityOf = (code: ReasonCode) => Severity;

export interface Concerned {
  /** 'vehicle': the pass itself (route, validity, signature), not a person */
  role: 'driver' | 'assistant' | 'stranger' | 'walk-in' | 'vehicle';
  /** the person's name, or the plate for the vehicle; null when redacted or unknown */
  name: string | null;
}

export interface ReasonView {
  code: ReasonCode;
  severity: Severity;
  who: Concerned[];
}

const RANK: Record<Severity, number> = { DENY: 0, REVIEW: 1, INFO: 2, ALLOW: 3 };
const ORDER = new Map<ReasonCode, number>(REASON_CODES.map((c, i) => [c, i]));

/** Worst first; within a severity, in the reason table's order (integrity, then pass, then people). */
export function bySeverity(a: ReasonView, b: ReasonView): number {
  return RANK[a.severity] - RANK[b.severity] || ORDER.get(a.code)! - ORDER.get(b.code)!;
}

/** The crossing's reasons, ordered, each naming the crew member(s) or the vehicle it concerns. */
export function crossingFindings(c: Crossing, severity: SeverityOf): ReasonView[] {
  const out = new Map<ReasonCode, ReasonView>();
  const add = (code: ReasonCode, sev: Severity, who: Concerned) => {
    if (code === 'OFFICER_OVERRIDE') return;
    const r = out.get(code) ?? { code, severity: sev, who: [] };
    if (RANK[sev] < RANK[r.severity]) r.severity = sev;
    if (!r.who.some((w) => w.role === who.role && w.name === who.name)) r.who.push(who);
    out.set(code, r);
  };
  for (const f of c.findings) add(f.code, f.severity, { role: c.kind === 'vehicle' ? 'vehicle' : 'walk-in', name: c.pass?.plate ?? null });
  for (const m of c.members) for (const code of m.reasons) add(code, severity(code), { role: m.role, name: m.name });
  return [...out.values()].sort(bySeverity);
}

/** A scan's reasons when there is no crossing (a code refused before the rules ran). */
export function scanFindings(reasons: ReasonCode[], severity: SeverityOf): ReasonView[] {
  return reasons.filter((r) => r !== 'OFFICER_OVERRIDE').map((code) => ({ code, severity: severity(code), who: [] })).sort(bySeverity);
}

/** Reasons that mean the scanner or the code could not be read: re-scan, never a refusal. */
const MISREAD_REASONS = new Set<ReasonCode>(['UNREADABLE', 'UNKNOWN_FORMAT', 'SYMBOLOGY_NOT_ALLOWED']);

/**
 * The cause of a misread (the scanner's framing cause such as LINE_TOO_LONG, or UNKNOWN_FORMAT), or
 * null when the scan was read. The screen turns the cause into plain words; the technical detail stays
 * behind its "details" toggle.
 */
export function misreadCause(codeKind: string, reasons: ReasonCode[], detail: string | null): string | null {
  if (codeKind !== 'none' || reasons.length === 0 || !reasons.every((r) => MISREAD_REASONS.has(r))) return null;
  if (reasons.includes('UNREADABLE')) {
    const cause = detail?.match(/^([A-Z_]+):/)?.[1];
    return cause ?? 'UNREADABLE';
  }
  return reasons[0]!;
}

export interface HealthView {
  originZone: string | null;
  /** the zone in words ("Quận 1, Thành phố Hồ Chí Minh") */
  originZoneName: { vi: string; en: string } | null;
  /** the zone's epidemic level in the station's cache; null when unknown */
  zoneLevel: 1 | 2 | 3 | 4 | null;
  test: HealthCodeBody['test'];
  doses: number;
  status: HealthCodeBody['status'];
  statusAsOf: number;
  declaredAt: number | null;
}

export function healthView(h: HealthCodeBody, zoneLevel: (zone: string) => 1 | 2 | 3 | 4 | null): HealthView {
  return {
    originZone: h.originZone,
    originZoneName: h.originZone ? { vi: zoneName(h.originZone, 'vi'), en: zoneName(h.originZone, 'en') } : null,
    // A district without its own level takes its province's, as the rules do.
    zoneLevel: zoneLevelOf(zoneLevel, h.originZone) as 1 | 2 | 3 | 4 | null,
    test: h.test,
    doses: h.doses,
    status: h.status,
    statusAsOf: h.statusAsOf,
    declaredAt: h.declaredAt,
  };
}
