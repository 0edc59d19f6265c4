import { CodeError } from './errors.js';

/**
 * Strict readers for the positional CBOR arrays inside codes: every field has one type and a size
 * bound, so a decoder never accepts what an encoder would not have produced.
 */
function fail(field: string, expected: string): never {
  throw new CodeError('UNKNOWN_FORMAT', `field ${field}: expected ${expected}`);
}

export function arrayOf(v: unknown, field: string, min: number, max: number): unknown[] {
  if (!Array.isArray(v) || v.length < min || v.length > max) fail(field, `array of ${min}..${max} items`);
  return v;
}

export function uint(v: unknown, field: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(field, `integer 0..${max}`);
  return v;
}

export function uintOrNull(v: unknown, field: string, max?: number): number | null {
  return v === null ? null : uint(v, field, max);
}

export function text(v: unknown, field: string, maxLen: number, pattern?: RegExp): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > maxLen) fail(field, `text of 1..${maxLen} chars`);
  if (pattern && !pattern.test(v)) fail(field, `text matching ${pattern}`);
  return v;
}

export function textOrNull(v: unknown, field: string, maxLen: number, pattern?: RegExp): string | null {
  return v === null ? null : text(v, field, maxLen, pattern);
}

export function bytes(v: unknown, field: string, min: number, max: number): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length < min || v.length > max) fail(field, `${min}..${max} bytes`);
  return v;
}

/** Citizen ids: 12-digit CCCD or 9-digit CMND; kept as text because leading zeros matter. */
export const CITIZEN_ID = /^(\d{9}|\d{12})$/;
/** Vietnamese plates as printed, e.g. 51C-123.45, 29LD-012.34. */
export const PLATE = /^[0-9]{2}[A-Z]{1,2}[0-9]?-[0-9]{3}\.?[0-9]{1,2}$/;
/** Administrative zone: province code, optionally with district ("79" or "79-760"). */
export const ZONE = /^\d{2}(-\d{3})?$/;
