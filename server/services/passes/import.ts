import { CITIZEN_ID, PLATE, ZONE } from '../../../shared/codes/fields.js';
import { GOODS, PASS_DIRECTIONS } from '../../../shared/codes/pass-code.js';
import { TERMS } from '../../../shared/glossary/terms.js';
import { RowCells, type Choice } from '../csv-import/cells.js';
import type { ImportColumns, ImportRow } from '../csv-import/importer.js';
import type { PassInput } from './model.js';

/**
 * The pass import file (CSV with a header line, UTF-8 with or without BOM, comma-separated, RFC 4180 quoting).
 * Each column may be headed by its key or by its Vietnamese name (PASS_IMPORT_LABELS):
 *
 * | column | required | content |
 * | --- | --- | --- |
 * | plate | yes | as printed, e.g. `51C-123.45` |
 * | company | no | transport company |
 * | goods | yes | goods category by its Vietnamese words or its number 0-5 (GOODS in shared/codes/pass-code.ts) |
 * | driverId, driverName | yes | the driver's citizen id (9 or 12 digits) and full name |
 * | driverPhone | no | |
 * | assistant1Id..assistant3Id, assistant1Name.., assistant1Phone.. | no | assistant drivers (phụ xe) |
 * | originZone, destinationZone | yes | `79` or `79-760` |
 * | routeCheckpoints | no* | checkpoint ids separated by `;`, e.g. `1;2;5` |
 * | routeProvinces | no* | province codes separated by `;` (*at least one of the two) |
 * | permittedStops | no | permitted loading/unloading places, free text |
 * | validFrom | no | dd/mm/yyyy [HH:mm] or ISO 8601, Vietnam time (UTC+7) unless an offset is given; default now |
 * | validTo | no | same; empty means until further notice |
 * | direction | no | `Cả hai chiều`/`both` (default), `Vào`/`entry` or `Ra`/`exit` |
 * | maxStayHours | no | committed stay in the province, default from config (24) |
 */
const ASSISTANTS = [1, 2, 3] as const;

/** Vietnamese headers, accepted in place of the keys; the downloadable template uses them. */
export const PASS_IMPORT_LABELS: Readonly<Record<string, string>> = {
  plate: 'Biển số', company: 'Doanh nghiệp', goods: 'Loại hàng hóa', driverId: 'Số CCCD lái xe', driverName: 'Họ tên lái xe',
  driverPhone: 'Điện thoại lái xe',
  ...Object.fromEntries(ASSISTANTS.flatMap((n) => [[`assistant${n}Id`, `Số CCCD phụ xe ${n}`], [`assistant${n}Name`, `Họ tên phụ xe ${n}`], [`assistant${n}Phone`, `Điện thoại phụ xe ${n}`]])),
  originZone: 'Vùng đi', destinationZone: 'Vùng đến', routeCheckpoints: 'Các chốt trên lộ trình', routeProvinces: 'Các tỉnh trên lộ trình',
  permittedStops: 'Điểm xếp dỡ được phép', validFrom: 'Hiệu lực từ', validTo: 'Hiệu lực đến', direction: 'Chiều được phép',
  maxStayHours: 'Thời gian lưu lại tối đa (giờ)',
};

export const PASS_IMPORT_COLUMNS: ImportColumns = {
  required: ['plate', 'goods', 'driverId', 'driverName', 'originZone', 'destinationZone'],
  optional: [
    'company', 'driverPhone',
    ...ASSISTANTS.flatMap((n) => [`assistant${n}Id`, `assistant${n}Name`, `assistant${n}Phone`]),
    'routeCheckpoints', 'routeProvinces', 'permittedStops', 'validFrom', 'validTo', 'direction', 'maxStayHours',
  ],
  labels: PASS_IMPORT_LABELS,
};

const GOODS_CHOICES: Choice<number>[] = GOODS.map((g, i) => ({ value: i, words: [g.vi, String(i), g.en] }));
const DIRECTIONS: Choice<PassInput['direction']>[] = PASS_DIRECTIONS.map((d) => ({ value: d, words: [TERMS.direction[d].vi, d, TERMS.direction[d].en] }));
export const FORM = {
  plate: ['viết như 51C-123.45', 'write it like 51C-123.45'],
  citizenId: ['gồm 12 chữ số (hoặc CMND 9 chữ số)', '12 digits (or 9)'],
  phone: ['chỉ gồm chữ số, 6 đến 20 ký tự', 'digits only, 6 to 20 characters'],
  zone: ['mã tỉnh 2 chữ số, có thể kèm mã huyện: 79 hoặc 79-760', 'a zone such as 79 or 79-760'],
} as const satisfies Record<string, [string, string]>;

// lower case is read as upper case, as the form does
const PLATE_LOOSE = new RegExp(PLATE.source, 'i');
const PHONE = /^\+?[0-9 .-]{6,20}$/;

/** A row to a pass input, every wrong cell reported at once; the service's schema checks the rest. */
export function passInputFromRow({ values: v }: ImportRow): PassInput {
  const c = new RowCells(v, PASS_IMPORT_LABELS);
  const person = (id: string, name: string, phone: string, required: boolean) => ({
    citizenId: c.matching(id, CITIZEN_ID, FORM.citizenId, required),
    name: c.text(name, 120, required),
    phone: c.matching(phone, PHONE, FORM.phone),
  });
  const driver = person('driverId', 'driverName', 'driverPhone', true);
  const crew: PassInput['crew'] = [{ citizenId: driver.citizenId ?? '', name: driver.name ?? '', phone: driver.phone }];
  for (const n of ASSISTANTS) {
    const a = person(`assistant${n}Id`, `assistant${n}Name`, `assistant${n}Phone`, false);
    if (a.citizenId === null && a.name === null) continue;
    if (a.citizenId === null || a.name === null) {
      c.fail(a.citizenId === null ? `assistant${n}Id` : `assistant${n}Name`, 'cần cả số CCCD và họ tên của phụ xe', 'both the id and the name are needed');
      continue;
    }
    crew.push({ citizenId: a.citizenId, name: a.name, phone: a.phone });
  }
  const plate = c.matching('plate', PLATE_LOOSE, FORM.plate, true) ?? '';
  const input: PassInput = {
    plate: plate.toUpperCase(),
    company: c.text('company', 200),
    goods: c.choice('goods', GOODS_CHOICES, true, 0),
    crew,
    originZone: c.matching('originZone', ZONE, FORM.zone, true) ?? '',
    destinationZone: c.matching('destinationZone', ZONE, FORM.zone, true) ?? '',
    routeCheckpoints: c.intList('routeCheckpoints', 1, 65535),
    routeProvinces: c.intList('routeProvinces', 1, 99),
    permittedStops: c.text('permittedStops', 1000),
    validTo: c.time('validTo'),
    direction: c.choice('direction', DIRECTIONS, false, 'both'),
  };
  const validFrom = c.time('validFrom');
  if (validFrom !== null) input.validFrom = validFrom;
  const maxStay = c.int('maxStayHours', 1, 24 * 365);
  if (maxStay !== null) input.maxStayHours = maxStay;
  c.done();
  return input;
}
