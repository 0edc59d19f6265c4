import { CITIZEN_ID, ZONE } from '../../../shared/codes/fields.js';
import { PERSON_NAME_PATTERN } from '../../../shared/contracts/common.js';
import { districtKnown } from '../../../shared/geo/districts.js';
import { RowCells } from '../csv-import/cells.js';
import type { ImportColumns, ImportRow } from '../csv-import/importer.js';
import type { Declaration } from './repository.js';

/**
 * A declaration of where an arriving person is going, as health staff import it (CSV with Vietnamese
 * headers, or a JSON array with the same keys) or an online declaration system posts it one by one.
 * The destination province is the importer's own unless a row names one.
 */
export const DECLARATION_LABELS: Readonly<Record<string, string>> = {
  citizenId: 'Số CCCD', name: 'Họ và tên', phone: 'Số điện thoại', originZone: 'Vùng đi', district: 'Mã quận/huyện đến',
  commune: 'Mã xã/phường đến', address: 'Địa chỉ nơi đến', declaredAt: 'Ngày khai báo', province: 'Mã tỉnh đến',
};

export const DECLARATION_COLUMNS: ImportColumns = {
  required: ['citizenId', 'name', 'originZone', 'district', 'commune', 'address', 'declaredAt'],
  optional: ['phone', 'province'],
  labels: DECLARATION_LABELS,
};

export const DECLARATION_EXAMPLE: Readonly<Record<string, string>> = {
  citizenId: '079123456789', name: 'Nguyễn Văn An', originZone: '01-001', district: '760', commune: '26734',
  address: '12 Lê Lợi, phường Bến Nghé', declaredAt: '30/11/2026 07:30', phone: '0901234567', province: '79',
};

export const PHONE_PATTERN = '^\\+?[0-9 .-]{6,20}$';
const PHONE = new RegExp(PHONE_PATTERN);
const VISIBLE_NAME = new RegExp(PERSON_NAME_PATTERN);
const NEED = {
  citizenId: ['gồm 12 chữ số (hoặc CMND 9 chữ số)', '12 digits (or 9)'],
  phone: ['chỉ gồm chữ số, 6 đến 20 ký tự', 'digits only, 6 to 20 characters'],
  zone: ['mã tỉnh 2 chữ số, có thể kèm mã huyện: 01 hoặc 01-001', 'a zone such as 01 or 01-001'],
  commune: ['mã xã/phường gồm 5 chữ số, ví dụ 26734', 'a 5-digit commune code, e.g. 26734'],
} as const satisfies Record<string, [string, string]>;

/** One row to a declaration, every wrong cell reported at once (in Vietnamese, with English beside). */
export function declarationFromRow({ values: v }: ImportRow, defaultProvince: number): Declaration {
  const c = new RowCells(v, DECLARATION_LABELS);
  const province = c.int('province', 1, 99) ?? defaultProvince;
  const name = c.text('name', 120, true);
  if (name !== '' && !VISIBLE_NAME.test(name)) c.fail('name', 'cần có chữ cái nhìn thấy được', 'needs a visible letter');
  const district = c.text('district', 10, true);
  if (district !== '' && !districtKnown(province, district)) {
    c.fail('district', `"${district.slice(0, 10)}" không phải mã quận/huyện của tỉnh ${province}`, `"${district.slice(0, 10)}" is not a district of province ${province}`);
  }
  const d: Declaration = {
    citizenId: c.matching('citizenId', CITIZEN_ID, NEED.citizenId, true) ?? '',
    name,
    phone: c.matching('phone', PHONE, NEED.phone),
    originZone: c.matching('originZone', ZONE, NEED.zone, true) ?? '',
    province,
    district,
    commune: c.matching('commune', /^[0-9]{5}$/, NEED.commune, true) ?? '',
    address: c.text('address', 300, true),
    declaredAt: c.time('declaredAt', true),
  };
  c.done();
  return d;
}
