import { intCell, intListCell, oneOf, optionalTextCell, optionalTimeCell, textCell } from '../csv-import/fields.js';
import type { ImportColumns, ImportRow } from '../csv-import/importer.js';
import type { PassInput } from './model.js';

/**
 * The pass import file (CSV with a header line, UTF-8, comma-separated, RFC 4180 quoting):
 *
 * | column | required | content |
 * | --- | --- | --- |
 * | plate | yes | as printed, e.g. `51C-123.45` |
 * | company | no | transport company |
 * | goods | yes | goods category 0-5 (GOODS in shared/codes/pass-code.ts) |
 * | driverId, driverName | yes | the driver's citizen id (9 or 12 digits) and full name |
 * | driverPhone | no | |
 * | assistant1Id..assistant3Id, assistant1Name.., assistant1Phone.. | no | assistant drivers (phụ xe) |
 * | originZone, destinationZone | yes | `79` or `79-760` |
 * | routeCheckpoints | no* | checkpoint ids separated by `;`, e.g. `1;2;5` |
 * | routeProvinces | no* | province codes separated by `;` (*at least one of the two) |
 * | permittedStops | no | permitted loading/unloading places, free text |
 * | validFrom | no | ISO 8601 or ms since epoch; no offset means Vietnam time (UTC+7); default now |
 * | validTo | no | same; empty means until further notice |
 * | direction | no | `both` (default), `entry` or `exit` |
 * | maxStayHours | no | committed stay in the province, default from config (24) |
 */
const ASSISTANTS = [1, 2, 3] as const;

export const PASS_IMPORT_COLUMNS: ImportColumns = {
  required: ['plate', 'goods', 'driverId', 'driverName', 'originZone', 'destinationZone'],
  optional: [
    'company', 'driverPhone',
    ...ASSISTANTS.flatMap((n) => [`assistant${n}Id`, `assistant${n}Name`, `assistant${n}Phone`]),
    'routeCheckpoints', 'routeProvinces', 'permittedStops', 'validFrom', 'validTo', 'direction', 'maxStayHours',
  ],
};

/** A row to a pass input; shapes (plate, ids, zones) are then checked by the service's schema. */
export function passInputFromRow({ values: v }: ImportRow): PassInput {
  const crew: PassInput['crew'] = [{ citizenId: textCell(v.driverId, 'driverId', 12), name: textCell(v.driverName, 'driverName', 120), phone: optionalTextCell(v.driverPhone, 'driverPhone', 20) }];
  for (const n of ASSISTANTS) {
    const id = optionalTextCell(v[`assistant${n}Id`], `assistant${n}Id`, 12);
    const name = optionalTextCell(v[`assistant${n}Name`], `assistant${n}Name`, 120);
    if (id === null && name === null) continue;
    if (id === null || name === null) throw new Error(`assistant${n}: both the id and the name are needed`);
    crew.push({ citizenId: id, name, phone: optionalTextCell(v[`assistant${n}Phone`], `assistant${n}Phone`, 20) });
  }
  const validFrom = optionalTimeCell(v.validFrom, 'validFrom');
  const maxStay = optionalTextCell(v.maxStayHours, 'maxStayHours', 6);
  return {
    plate: textCell(v.plate, 'plate', 12).toUpperCase(),
    company: optionalTextCell(v.company, 'company', 200),
    goods: intCell(v.goods, 'goods', 0, 255),
    crew,
    originZone: textCell(v.originZone, 'originZone', 6),
    destinationZone: textCell(v.destinationZone, 'destinationZone', 6),
    routeCheckpoints: intListCell(v.routeCheckpoints, 'routeCheckpoints', 1, 65535),
    routeProvinces: intListCell(v.routeProvinces, 'routeProvinces', 1, 99),
    permittedStops: optionalTextCell(v.permittedStops, 'permittedStops', 1000),
    ...(validFrom !== null ? { validFrom } : {}),
    validTo: optionalTimeCell(v.validTo, 'validTo'),
    direction: v.direction === undefined || v.direction === '' ? 'both' : oneOf(v.direction, 'direction', ['both', 'entry', 'exit'] as const),
    ...(maxStay !== null ? { maxStayHours: intCell(maxStay, 'maxStayHours', 1, 24 * 365) } : {}),
  };
}
