/**
 * Text-to-value readers for import cells. Each throws an Error whose message names the column, so
 * a row error tells the user exactly which cell is wrong.
 */
const VN_OFFSET = '+07:00';

/**
 * A time: milliseconds since epoch, or ISO 8601 (`2021-09-01T08:00:00+07:00`, `2021-09-01 08:00`).
 * A time without an offset is read as Vietnam time (UTC+7), as the provinces' spreadsheets write it.
 */
export function timeCell(v: unknown, column: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`${column}: a time is required`);
  const s = v.trim();
  if (/^\d{1,15}$/.test(s)) return Number(s);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?))?(Z|[+-]\d{2}:\d{2})?$/.exec(s);
  if (!m) throw new Error(`${column}: "${s.slice(0, 40)}" is not a time (use 2021-09-01T08:00:00+07:00)`);
  const [y, mo, d] = m[1]!.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  const t = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? VN_OFFSET}`);
  // Date.parse rolls 30 February over into March; a spreadsheet typo should be reported instead.
  if (Number.isNaN(t) || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) throw new Error(`${column}: "${s}" is not a valid date`);
  return t;
}

export function optionalTimeCell(v: unknown, column: string): number | null {
  return v === undefined || v === null || v === '' ? null : timeCell(v, column);
}

export function intCell(v: unknown, column: string, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${column}: expected a whole number ${min}..${max}`);
  return n;
}

export function textCell(v: unknown, column: string, maxLen: number): string {
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`${column}: required`);
  if (v.length > maxLen) throw new Error(`${column}: longer than ${maxLen} characters`);
  return v.trim();
}

export function optionalTextCell(v: unknown, column: string, maxLen: number): string | null {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : textCell(v, column, maxLen);
}

/** A list of integers separated by `;` (commas would clash with CSV), e.g. `1;2;3`. */
export function intListCell(v: unknown, column: string, min: number, max: number): number[] {
  if (Array.isArray(v)) return v.map((x, i) => intCell(x, `${column}[${i}]`, min, max));
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return [];
  if (typeof v !== 'string') throw new Error(`${column}: expected numbers separated by ;`);
  return v.split(';').map((x, i) => intCell(x, `${column}[${i}]`, min, max));
}

export function oneOf<T extends string>(v: unknown, column: string, allowed: readonly T[]): T {
  const s = typeof v === 'string' ? v.trim() : v;
  if (typeof s !== 'string' || !(allowed as readonly string[]).includes(s)) throw new Error(`${column}: expected one of ${allowed.join(', ')}`);
  return s as T;
}
