import type { KeyObject } from 'node:crypto';
import { CodeError } from './errors.js';
import { arrayOf, CITIZEN_ID, PLATE, text, uint, uintOrNull, ZONE } from './fields.js';
import { decodeCanonical, encodeCanonical, signCode } from './signed-code.js';

/** Goods categories printed on a pass; the index is what travels in the code. */
export const GOODS = [
  { vi: 'Hàng thiết yếu, lương thực, thực phẩm', en: 'Essential goods, food' },
  { vi: 'Thuốc, vật tư y tế', en: 'Medicine, medical supplies' },
  { vi: 'Xăng dầu, nhiên liệu', en: 'Fuel' },
  { vi: 'Nông sản', en: 'Agricultural produce' },
  { vi: 'Nguyên liệu sản xuất', en: 'Production materials' },
  { vi: 'Hàng hóa khác', en: 'Other goods' },
] as const;

export const PASS_DIRECTIONS = ['both', 'entry', 'exit'] as const;
export type PassDirection = (typeof PASS_DIRECTIONS)[number];

/** What a station needs to decide on a pass even when its cache lacks it. Times in ms since epoch. */
export interface PassCodeBody {
  passId: number;
  version: number;
  plate: string;
  /** Citizen ids; the first is the driver, the rest are assistant drivers (phụ xe). */
  crew: string[];
  goods: number;
  validFrom: number;
  /** null: until further notice */
  validTo: number | null;
  routeCheckpoints: number[];
  routeProvinces: number[];
  issuingProvince: number;
  direction: PassDirection;
  originZone: string;
  issuedAt: number;
}

const MAX_CREW = 4;
const MAX_ROUTE = 16;
const sec = (ms: number) => Math.floor(ms / 1000);

export function encodePassBody(p: PassCodeBody): Uint8Array {
  return encodeCanonical([
    p.passId, p.version, p.plate, p.crew, p.goods,
    sec(p.validFrom), p.validTo === null ? null : sec(p.validTo),
    p.routeCheckpoints, p.routeProvinces, p.issuingProvince,
    PASS_DIRECTIONS.indexOf(p.direction), p.originZone, sec(p.issuedAt),
  ]);
}

export function decodePassBody(body: Uint8Array): PassCodeBody {
  const f = arrayOf(decodeCanonical(body, 'pass body'), 'pass body', 13, 13);
  const crew = arrayOf(f[3], 'crew', 1, MAX_CREW).map((c, i) => text(c, `crew[${i}]`, 12, CITIZEN_ID));
  if (new Set(crew).size !== crew.length) throw new CodeError('UNKNOWN_FORMAT', 'crew lists a person twice');
  const validTo = uintOrNull(f[6], 'validTo', 2 ** 32);
  const direction = PASS_DIRECTIONS[uint(f[10], 'direction', PASS_DIRECTIONS.length - 1)]!;
  return {
    passId: uint(f[0], 'passId', 2 ** 40),
    version: uint(f[1], 'version', 65535),
    plate: text(f[2], 'plate', 12, PLATE),
    crew,
    goods: uint(f[4], 'goods', GOODS.length - 1),
    validFrom: uint(f[5], 'validFrom', 2 ** 32) * 1000,
    validTo: validTo === null ? null : validTo * 1000,
    routeCheckpoints: arrayOf(f[7], 'routeCheckpoints', 0, MAX_ROUTE).map((c, i) => uint(c, `routeCheckpoints[${i}]`, 65535)),
    routeProvinces: arrayOf(f[8], 'routeProvinces', 0, MAX_ROUTE).map((c, i) => uint(c, `routeProvinces[${i}]`, 99)),
    issuingProvince: uint(f[9], 'issuingProvince', 99),
    direction,
    originZone: text(f[11], 'originZone', 6, ZONE),
    issuedAt: uint(f[12], 'issuedAt', 2 ** 32) * 1000,
  };
}

export function signPassCode(p: PassCodeBody, kid: string, privateKey: KeyObject): string {
  // Round-trip through the strict decoder so an issuer can never print a code a station rejects.
  const body = encodePassBody(p);
  decodePassBody(body);
  return signCode('pass', body, kid, privateKey);
}
