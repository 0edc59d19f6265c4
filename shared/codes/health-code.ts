import type { KeyObject } from 'node:crypto';
import { arrayOf, CITIZEN_ID, text, textOrNull, uint, uintOrNull, ZONE } from './fields.js';
import { decodeCanonical, encodeCanonical, signCode } from './signed-code.js';

export const TEST_TYPES = ['RT_PCR', 'RAPID_ANTIGEN'] as const;
export type TestType = (typeof TEST_TYPES)[number];
export const TEST_RESULTS = ['NEGATIVE', 'POSITIVE'] as const;
export type TestResult = (typeof TEST_RESULTS)[number];
export const HEALTH_STATUSES = ['NONE', 'F0', 'F1'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface TestRecord {
  type: TestType;
  result: TestResult;
  sampledAt: number;
}

/** A person's health code as issued by the health authority. Times in ms since epoch. */
export interface HealthCodeBody {
  citizenId: string;
  declaredAt: number | null;
  /** Where the declaration says the person comes from. */
  originZone: string | null;
  test: TestRecord | null;
  doses: number;
  status: HealthStatus;
  statusAsOf: number;
  issuedAt: number;
}

const sec = (ms: number) => Math.floor(ms / 1000);
const ms = (s: number | null) => (s === null ? null : s * 1000);

export function encodeHealthBody(h: HealthCodeBody): Uint8Array {
  return encodeCanonical([
    h.citizenId,
    h.declaredAt === null ? null : sec(h.declaredAt),
    h.originZone,
    h.test === null ? null : [TEST_TYPES.indexOf(h.test.type), TEST_RESULTS.indexOf(h.test.result), sec(h.test.sampledAt)],
    h.doses,
    HEALTH_STATUSES.indexOf(h.status),
    sec(h.statusAsOf),
    sec(h.issuedAt),
  ]);
}

export function decodeHealthBody(body: Uint8Array): HealthCodeBody {
  const f = arrayOf(decodeCanonical(body, 'health body'), 'health body', 8, 8);
  let test: TestRecord | null = null;
  if (f[3] !== null) {
    const t = arrayOf(f[3], 'test', 3, 3);
    test = {
      type: TEST_TYPES[uint(t[0], 'test.type', TEST_TYPES.length - 1)]!,
      result: TEST_RESULTS[uint(t[1], 'test.result', TEST_RESULTS.length - 1)]!,
      sampledAt: uint(t[2], 'test.sampledAt', 2 ** 32) * 1000,
    };
  }
  return {
    citizenId: text(f[0], 'citizenId', 12, CITIZEN_ID),
    declaredAt: ms(uintOrNull(f[1], 'declaredAt', 2 ** 32)),
    originZone: textOrNull(f[2], 'originZone', 6, ZONE),
    test,
    doses: uint(f[4], 'doses', 10),
    status: HEALTH_STATUSES[uint(f[5], 'status', HEALTH_STATUSES.length - 1)]!,
    statusAsOf: uint(f[6], 'statusAsOf', 2 ** 32) * 1000,
    issuedAt: uint(f[7], 'issuedAt', 2 ** 32) * 1000,
  };
}

export function signHealthCode(h: HealthCodeBody, kid: string, privateKey: KeyObject): string {
  const body = encodeHealthBody(h);
  decodeHealthBody(body);
  return signCode('health', body, kid, privateKey);
}
