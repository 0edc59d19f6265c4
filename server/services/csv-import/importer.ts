import { CsvSyntaxError, parseCsvWithHeader } from './csv.js';
import { ImportRejectedError } from './import-errors.js';
import { DomainError } from '../../domain-errors.js';
import { rowProblem, type RowError } from './shape.js';

/** One input row: its 1-based position among the data rows, its file line (CSV) and its cells. */
export interface ImportRow {
  row: number;
  line: number | null;
  values: Record<string, unknown>;
  /** set when the row could not even be read (e.g. a wrong number of fields) */
  error?: string;
  errorVi?: string;
}

export interface ImportColumns {
  required: readonly string[];
  optional: readonly string[];
  /** each column's Vietnamese header, accepted in place of its key and used in messages and templates */
  labels?: Readonly<Record<string, string>>;
}

export const MAX_IMPORT_ROWS = 100_000;

/** CSV text to rows. A file that cannot be read as CSV at all is rejected with the line at fault. */
export function rowsFromCsv(text: string, columns: ImportColumns): ImportRow[] {
  try {
    const rows = parseCsvWithHeader(text, columns, { maxRecords: MAX_IMPORT_ROWS });
    return rows.map((r, i) => ('error' in r ? { row: i + 1, line: r.line, values: {}, error: r.error, errorVi: r.errorVi } : { row: i + 1, line: r.line, values: r.values }));
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new ImportRejectedError([{ row: 0, line: err.line, message: err.message, messageVi: err.messageVi }], 0);
    throw err;
  }
}

/** A JSON array of objects with the same field names as the CSV columns. */
export function rowsFromJson(body: unknown, columns: ImportColumns): ImportRow[] {
  if (!Array.isArray(body)) throw new ImportRejectedError([{ row: 0, line: null, message: 'the body must be a JSON array of rows', messageVi: 'Nội dung JSON phải là một mảng các dòng' }], 0);
  if (body.length > MAX_IMPORT_ROWS) throw new ImportRejectedError([{ row: 0, line: null, message: `more than ${MAX_IMPORT_ROWS} rows`, messageVi: `Nhiều hơn ${MAX_IMPORT_ROWS} dòng` }], body.length);
  const known = new Set([...columns.required, ...columns.optional]);
  return body.map((v, i): ImportRow => {
    const row = i + 1;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { row, line: null, values: {}, error: 'a row must be an object', errorVi: 'Mỗi dòng phải là một đối tượng JSON' };
    const unknown = Object.keys(v).filter((k) => !known.has(k));
    const missing = columns.required.filter((k) => !(k in v));
    if (unknown.length) return { row, line: null, values: {}, error: `unknown field(s): ${unknown.join(', ')}`, errorVi: `Trường không có trong mẫu: ${unknown.join(', ')}` };
    if (missing.length) return { row, line: null, values: {}, error: `missing field(s): ${missing.join(', ')}`, errorVi: `Thiếu trường: ${missing.map((m) => columns.labels?.[m] ?? m).join(', ')}` };
    return { row, line: null, values: v as Record<string, unknown> };
  });
}

/**
 * All or nothing: every row is parsed, the readable ones applied inside one transaction (so that
 * rules only the service knows are checked too), and any bad row rolls the whole import back; the
 * answer lists every bad row found, in file order. Rows are applied one after another in the one
 * transaction (on SQLite each awaited statement runs at once: no round trip per row).
 */
export async function runImport<T>(
  rows: ImportRow[],
  parse: (r: ImportRow) => T,
  apply: (value: T, r: ImportRow) => Promise<unknown> | void,
  transaction: <R>(fn: () => Promise<R>) => Promise<R>,
): Promise<{ imported: number }> {
  const errors: RowError[] = [];
  const parsed: { r: ImportRow; value: T }[] = [];
  for (const r of rows) {
    if (r.error !== undefined) {
      errors.push({ row: r.row, line: r.line, message: r.error, messageVi: r.errorVi ?? r.error });
      continue;
    }
    try {
      parsed.push({ r, value: parse(r) });
    } catch (err) {
      errors.push({ row: r.row, line: r.line, ...rowProblem(err) });
    }
  }
  return transaction(async () => {
    for (const { r, value } of parsed) {
      try {
        await apply(value, r);
      } catch (err) {
        errors.push({ row: r.row, line: r.line, ...rowProblem(err) });
        // Not a rule of the row (a failed statement): PostgreSQL refuses every later statement of
        // this transaction, so the rows after it would only report that; the import is rejected anyway.
        if (!(err instanceof DomainError)) break;
      }
    }
    // Throwing inside the transaction rolls back every row already applied.
    if (errors.length > 0) throw new ImportRejectedError(errors.sort((a, b) => a.row - b.row), rows.length);
    return { imported: parsed.length };
  });
}
