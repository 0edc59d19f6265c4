import type { ReasonCode } from '../rules/reasons.js';

/**
 * How a journal row holds its reason codes, on the station and on the server alike: the text of a JSON
 * array, `["EXPIRED","TEST_REQUIRED"]` (`[]` when there is none). JSON rather than a comma-joined list
 * so that both sides read one encoding with one parser, and an empty list is not confused with one
 * empty code. Reason codes are short ASCII identifiers, so the text is exactly `JSON.stringify`'s.
 */
export function encodeReasons(codes: readonly ReasonCode[]): string {
  return JSON.stringify(codes);
}

export function decodeReasons(text: string): ReasonCode[] {
  const codes: unknown = JSON.parse(text);
  if (!Array.isArray(codes)) throw new TypeError(`stored reasons are not a JSON array: ${text.slice(0, 80)}`);
  return codes as ReasonCode[];
}

/**
 * The substring a stored list holds exactly when it holds `code`: the code in its quotes, so
 * TEST_REQUIRED never matches inside a longer code. Searched with instr/strpos, never LIKE (`_` is a
 * LIKE wildcard and SQLite's LIKE ignores case).
 */
export function reasonNeedle(code: string): string {
  return JSON.stringify(code);
}
