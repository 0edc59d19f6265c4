import { CITIZEN_ID, ZONE } from '../../../shared/codes/fields.js';
import { HEALTH_STATUSES, TEST_RESULTS, TEST_TYPES } from '../../../shared/codes/health-code.js';
import { TERMS } from '../../../shared/glossary/terms.js';
import { ValidationError } from '../../domain-errors.js';
import { RowCells, type Choice } from '../csv-import/cells.js';
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
 * Columns may be headed by their Vietnamese names (HEALTH_IMPORT_LABELS); codes may be written in words
 * ("Âm tính", "Test nhanh kháng nguyên"). Times are dd/mm/yyyy [HH:mm], ISO 8601 or ms since epoch (no
 * offset: Vietnam time, UTC+7). A person not yet known
 * needs a name. Newer facts replace older ones; an older row than what is stored changes nothing.
 */
export const HEALTH_IMPORT_KINDS = ['declarations', 'tests', 'flags'] as const;
export type HealthImportKind = (typeof HEALTH_IMPORT_KINDS)[number];

/** Vietnamese headers, accepted in place of the keys; the downloadable templates use them. */
export const HEALTH_IMPORT_LABELS: Readonly<Record<string, string>> = {
  citizenId: 'Số CCCD', name: 'Họ và tên', phone: 'Số điện thoại', declaredAt: 'Ngày khai báo', originZone: 'Vùng đi',
  doses: 'Số mũi tiêm', testType: 'Loại xét nghiệm', result: 'Kết quả', sampledAt: 'Ngày lấy mẫu', status: 'Phân loại', statusAsOf: 'Ngày phân loại',
};

export const HEALTH_IMPORT_COLUMNS: Record<HealthImportKind, ImportColumns> = {
  declarations: { required: ['citizenId', 'name', 'declaredAt', 'originZone'], optional: ['phone', 'doses'], labels: HEALTH_IMPORT_LABELS },
  tests: { required: ['citizenId', 'testType', 'result', 'sampledAt'], optional: ['name', 'phone'], labels: HEALTH_IMPORT_LABELS },
  flags: { required: ['citizenId', 'status', 'statusAsOf'], optional: ['name', 'phone'], labels: HEALTH_IMPORT_LABELS },
};

const choices = <K extends string>(codes: readonly K[], terms: Record<K, { vi: string; en: string }>, extra: Partial<Record<K, string[]>> = {}): Choice<K>[] =>
  codes.map((k) => ({ value: k, words: [terms[k].vi, k, terms[k].en, ...(extra[k] ?? [])] }));
const TEST_TYPE_CHOICES = choices(TEST_TYPES, TERMS.testType, { RT_PCR: ['RT-PCR', 'PCR'], RAPID_ANTIGEN: ['Test nhanh'] });
const RESULT_CHOICES = choices(TEST_RESULTS, TERMS.testResult);
const STATUS_CHOICES = choices(HEALTH_STATUSES, TERMS.healthStatus, { F0: ['F0'], F1: ['F1'], NONE: ['Không'] });

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
const NEED = {
  citizenId: ['gồm 12 chữ số (hoặc CMND 9 chữ số)', '12 digits (or 9)'],
  phone: ['chỉ gồm chữ số, 6 đến 20 ký tự', 'digits only, 6 to 20 characters'],
  zone: ['mã tỉnh 2 chữ số, có thể kèm mã huyện: 79 hoặc 79-760', 'a zone such as 79 or 79-760'],
} as const satisfies Record<string, [string, string]>;

const VISIBLE_NAME = new RegExp(PERSON_NAME_PATTERN);

/** A name made only of spaces, controls, zero-width or direction marks is refused (issue 11, finding 12). */
function visibleName(c: RowCells, name: string | null): string | null {
  if (name !== null && !VISIBLE_NAME.test(name)) {
    c.fail('name', 'cần có chữ cái nhìn thấy được (không chỉ khoảng trắng hay ký tự ẩn)', 'needs a visible letter (not only spaces, controls, zero-width or direction marks)');
  }
  return name;
}

/** A row to an update, every wrong cell reported at once. */
export function healthUpdateFromRow(kind: HealthImportKind, { values: v }: ImportRow): HealthUpdate {
  const c = new RowCells(v, HEALTH_IMPORT_LABELS);
  const base = {
    citizenId: c.matching('citizenId', CITIZEN_ID, NEED.citizenId, true) ?? '',
    name: visibleName(c, c.text('name', 120)),
    phone: c.matching('phone', PHONE, NEED.phone),
  };
  let update: HealthUpdate;
  if (kind === 'declarations') {
    update = {
      ...base, kind: 'declaration', declaredAt: c.time('declaredAt', true),
      originZone: c.matching('originZone', ZONE, NEED.zone, true) ?? '', doses: c.int('doses', 0, 10),
    };
  } else if (kind === 'tests') {
    update = {
      ...base, kind: 'test',
      test: { type: c.choice('testType', TEST_TYPE_CHOICES, true, 'RT_PCR'), result: c.choice('result', RESULT_CHOICES, true, 'NEGATIVE'), sampledAt: c.time('sampledAt', true) },
    };
  } else {
    update = { ...base, kind: 'flag', status: c.choice('status', STATUS_CHOICES, true, 'NONE'), statusAsOf: c.time('statusAsOf', true) };
  }
  c.done();
  return update;
}

/** The person after the update, or null when the update changes nothing (it is older than what is stored). */
export function applyHealthUpdate(cur: PersonRecord | null, u: HealthUpdate, at: number, by: string): PersonRecord | null {
  if (!cur && !u.name) {
    throw new ValidationError(`person ${u.citizenId} is not known yet: the row needs a name`, `Người có số CCCD ${u.citizenId} chưa có trong dữ liệu: dòng này cần cột Họ và tên`);
  }
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
