import type { CrewMember, PassFacts, PersonFacts } from '../../shared/contracts/feed.js';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import type { ReasonCode } from '../../shared/rules/reasons.js';
import type { journal, passes, people } from './schema.js';

/** Conversions between feed/journal objects and their rows; JSON columns hold arrays and sub-objects. */

type PassRow = typeof passes.$inferSelect;
type PersonRow = typeof people.$inferSelect;
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

export function personToRow(p: PersonFacts): PersonRow {
  return {
    citizenId: p.citizenId,
    name: p.name,
    declaredAt: p.declaredAt,
    originZone: p.originZone,
    test: p.test === null ? null : JSON.stringify(p.test),
    doses: p.doses,
    status: p.status,
    statusAsOf: p.statusAsOf,
  };
}

export function rowToPerson(r: PersonRow): PersonFacts {
  return {
    type: 'person',
    citizenId: r.citizenId,
    name: r.name,
    declaredAt: r.declaredAt,
    originZone: r.originZone,
    test: r.test === null ? null : (JSON.parse(r.test) as PersonFacts['test']),
    doses: r.doses,
    status: r.status,
    statusAsOf: r.statusAsOf,
  };
}

export function recordToRow(r: JournalRecord): JournalRow {
  return { ...r, reasons: JSON.stringify(r.reasons), purgedAt: null };
}

/** The record as uploaded; `purgedAt` is the row's own bookkeeping, not part of the wire record. */
export function rowToRecord(r: JournalRow): JournalRecord {
  const { purgedAt: _purged, ...rest } = r;
  return { ...rest, reasons: JSON.parse(r.reasons) as ReasonCode[] };
}
