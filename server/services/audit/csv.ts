/**
 * RFC 4180 CSV cells. Text that a spreadsheet would run as a formula (starting with = + - @ or a
 * control character) gets a leading apostrophe, per OWASP's CSV-injection advice; everything else is
 * kept verbatim inside quotes.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  let s = Array.isArray(v) ? v.join(' ') : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
