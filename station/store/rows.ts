import type { CrewMember, HealthFlag, PassFacts, PersonFacts } from '../../shared/contracts/feed.js';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import { decodeReasons, encodeReasons } from '../../shared/journal-record/reasons-text.js';
import type { healthFlags, journal, passes } from './schema.js';

/** Conversions between feed/journal objects and their rows; JSON columns hold arrays and sub-objects. */

type PassRow = typeof passes.$inferSelect;
type FlagRow = typeof healthFlags.$inferSelect;
type JournalRow = typeof journal.$inferSelect;

export function passToRow(p: PassFacts): PassRow {
  return {
    passId: p.passId,
    version: p.version,
    status: p.status,
    statusReason: p.statusReason,
    plate: p.plate,
    company: p.company,
    goods: p.goods,
    crew: JSON.stringify(p.crew),
    validFrom: p.validFrom,
    validTo: p.validTo,
    routeCheckpoints: JSON.stringify(p.routeCheckpoints),
    routeProvinces: JSON.stringify(p.routeProvinces),
    direction: p.direction,
    issuingProvince: p.issuingProvince,
    originZone: p.originZone,
  };
}

export function rowToPass(r: PassRow): PassFacts {
  return {
    type: 'pass',
    passId: r.passId,
    version: r.version,
    status: r.status,
    statusReason: r.statusReason,
    plate: r.plate,
    company: r.company,
    goods: r.goods,
    crew: JSON.parse(r.crew) as CrewMember[],
    validFrom: r.validFrom,
    validTo: r.validTo,
    routeCheckpoints: JSON.parse(r.routeCheckpoints) as number[],
    routeProvinces: JSON.parse(r.routeProvinces) as number[],
    direction: r.direction,
    issuingProvince: r.issuingProvince,
    originZone: r.originZone,
  };
}

export function flagToRow(f: HealthFlag): FlagRow {
  return { citizenId: f.citizenId, status: f.status, statusAsOf: f.statusAsOf, testType: f.test?.type ?? null, testSampledAt: f.test?.sampledAt ?? null };
}

export function rowToFlag(r: FlagRow): HealthFlag {
  const test = r.testType !== null && r.testSampledAt !== null ? { type: r.testType, result: 'POSITIVE' as const, sampledAt: r.testSampledAt } : null;
  return { type: 'flag', citizenId: r.citizenId, status: r.status, statusAsOf: r.statusAsOf, test };
}

/** What of a person's whole record a station keeps: a flag when F0/F1 or tested positive, else nothing. */
export function personToFlag(p: PersonFacts): HealthFlag | null {
  const positive = p.test?.result === 'POSITIVE' ? p.test : null;
  if (p.status === 'NONE' && !positive) return null;
  return { type: 'flag', citizenId: p.citizenId, status: p.status, statusAsOf: p.statusAsOf, test: positive };
}

export function recordToRow(r: JournalRecord): JournalRow {
  return { ...r, reasons: encodeReasons(r.reasons), purgedAt: null };
}

/** The record as uploaded; `purgedAt` is the row's own bookkeeping, not part of the wire record. */
export function rowToRecord(r: JournalRow): JournalRecord {
  const { purgedAt: _purged, ...rest } = r;
  return { ...rest, reasons: decodeReasons(r.reasons) };
}
