import type { ReasonCode } from '../rules/reasons.js';

/**
 * How a journal row holds its reason codes, on the station and on the server alike: the text of a JSON
 * array, `["EXPIRED","TEST_REQUIRED"]` (`[]` when there is none). JSON rather than a comma-joined list
 * so that both sides read one encoding with one parser, and an empty list is not confused with one
 * empty code. Reason codes are short ASCII identifiers, so no code needs escaping.
 */
export function encodeReasons(codes: readonly ReasonCode[]): string {
  // JSON.stringify's very text for identifier codes (every ReasonCode: test/shared/journal-record/reasons-text.test.ts),
  // built by a join: ingest encodes every record's list, and JSON.stringify cost it a tenth of its insert
  return codes.length === 0 ? '[]' : `["${codes.join('","')}"]`;
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
