import { CITIZEN_ID, ZONE } from '../../../shared/codes/fields.js';
import { TEST_RESULTS, TEST_TYPES } from '../../../shared/codes/health-code.js';
import { intCell, oneOf, optionalTextCell, textCell, timeCell } from '../csv-import/fields.js';
import type { ImportColumns, ImportRow } from '../csv-import/importer.js';
import type { PersonRecord } from './repository.js';
import { PERSON_NAME_PATTERN } from '../../../shared/contracts/common.js';

/**
 * What the health authority imports about a person. Three kinds, one file (CSV or JSON) each:
 *
 * - declarations: citizenId, name, declaredAt, originZone; optional phone, doses
 * - tests: citizenId, testType (RT_PCR | RAPID_ANTIGEN), result (NEGATIVE | POSITIVE), sampledAt; optional name, phone
 * - flags: citizenId, status (F0 | F1 | NONE), statusAsOf; optional name, phone
 *
 * Times are ISO 8601 or ms since epoch (no offset: Vietnam time, UTC+7). A person not yet known
 * needs a name. Newer facts replace older ones; an older row than what is stored changes nothing.
 */
export const HEALTH_IMPORT_KINDS = ['declarations', 'tests', 'flags'] as const;
export type HealthImportKind = (typeof HEALTH_IMPORT_KINDS)[number];

export const HEALTH_IMPORT_COLUMNS: Record<HealthImportKind, ImportColumns> = {
  declarations: { required: ['citizenId', 'name', 'declaredAt', 'originZone'], optional: ['phone', 'doses'] },
  tests: { required: ['citizenId', 'testType', 'result', 'sampledAt'], optional: ['name', 'phone'] },
  flags: { required: ['citizenId', 'status', 'statusAsOf'], optional: ['name', 'phone'] },
};

export type HealthUpdate = {
  citizenId: string;
  name: string | null;
  phone: string | null;
} & (
  | { kind: 'declaration'; declaredAt: number; originZone: string; doses: number | null }
  | { kind: 'test'; test: NonNullable<PersonRecord['test']> }
  | { kind: 'flag'; status: PersonRecord['status']; statusAsOf: number }
);

const PHONE = /^\+?[0-9 .-]{6,20}$/;
const VISIBLE_NAME = new RegExp(PERSON_NAME_PATTERN);

export function healthUpdateFromRow(kind: HealthImportKind, { values: v }: ImportRow): HealthUpdate {
  const citizenId = textCell(typeof v.citizenId === 'number' ? String(v.citizenId) : v.citizenId, 'citizenId', 12);
  if (!CITIZEN_ID.test(citizenId)) throw new Error('citizenId: expected 9 or 12 digits');
  const name = optionalTextCell(v.name, 'name', 120);
  if (name !== null && !VISIBLE_NAME.test(name)) throw new Error('name: needs a visible letter (not only spaces, controls, zero-width or direction marks)');
  const phone = optionalTextCell(v.phone, 'phone', 20);
  if (phone !== null && !PHONE.test(phone)) throw new Error('phone: not a phone number');
  const base = { citizenId, name, phone };
  if (kind === 'declarations') {
    const originZone = textCell(v.originZone, 'originZone', 6);
    if (!ZONE.test(originZone)) throw new Error('originZone: expected a zone such as 79 or 79-760');
    const doses = v.doses === undefined || v.doses === '' || v.doses === null ? null : intCell(v.doses, 'doses', 0, 10);
    return { ...base, kind: 'declaration', declaredAt: timeCell(v.declaredAt, 'declaredAt'), originZone, doses };
  }
  if (kind === 'tests') {
    return { ...base, kind: 'test', test: { type: oneOf(v.testType, 'testType', TEST_TYPES), result: oneOf(v.result, 'result', TEST_RESULTS), sampledAt: timeCell(v.sampledAt, 'sampledAt') } };
  }
  return { ...base, kind: 'flag', status: oneOf(v.status, 'status', ['NONE', 'F0', 'F1'] as const), statusAsOf: timeCell(v.statusAsOf, 'statusAsOf') };
}

/** The person after the update, or null when the update changes nothing (it is older than what is stored). */
export function applyHealthUpdate(cur: PersonRecord | null, u: HealthUpdate, at: number, by: string): PersonRecord | null {
  if (!cur && !u.name) throw new Error(`person ${u.citizenId} is not known yet: the row needs a name`);
  const base: PersonRecord = cur ?? {
    citizenId: u.citizenId, name: u.name!, phone: null, declaredAt: null, originZone: null, test: null, doses: 0,
    status: 'NONE', statusAsOf: 0, updatedAt: at, updatedBy: by,
  };
  let next: PersonRecord = { ...base, name: u.name ?? base.name, phone: u.phone ?? base.phone };
  if (u.kind === 'declaration' && (base.declaredAt === null || u.declaredAt >= base.declaredAt)) {
    next = { ...next, declaredAt: u.declaredAt, originZone: u.originZone, doses: u.doses ?? base.doses };
  } else if (u.kind === 'test' && (base.test === null || u.test.sampledAt >= base.test.sampledAt)) {
    next = { ...next, test: u.test };
  } else if (u.kind === 'flag' && u.statusAsOf >= base.statusAsOf) {
    next = { ...next, status: u.status, statusAsOf: u.statusAsOf };
  }
  const same = cur !== null && JSON.stringify({ ...cur, updatedAt: 0, updatedBy: '' }) === JSON.stringify({ ...next, updatedAt: 0, updatedBy: '' });
  return same ? null : { ...next, updatedAt: at, updatedBy: by };
}
