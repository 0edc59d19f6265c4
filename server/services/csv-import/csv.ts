/**
 * A small RFC 4180 CSV reader (no CSV library is installed in this project). It accepts CRLF or LF
 * line ends, quoted fields with doubled quotes and embedded line breaks, a UTF-8 BOM, and reports
 * where the input is malformed instead of guessing. Each record carries the 1-based line number it
 * starts on, so an import can tell the user which line of their file is wrong.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  readonly messageVi: string;
  constructor(readonly line: number, message: string, messageVi?: string) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
    this.messageVi = `Dòng ${line}: ${messageVi ?? 'tệp CSV không đọc được (' + message + ')'}`;
  }
}

export interface CsvLimits {
  maxRecords: number;
  maxFields: number;
  maxFieldChars: number;
}

const DEFAULT_LIMITS: CsvLimits = { maxRecords: 100_000, maxFields: 64, maxFieldChars: 2000 };

export function parseCsv(input: string, limits: Partial<CsvLimits> = {}): CsvRecord[] {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;

  const endField = () => {
    if (field.length > lim.maxFieldChars) throw new CsvSyntaxError(recordLine, `a field is longer than ${lim.maxFieldChars} characters`);
    fields.push(field);
    if (fields.length > lim.maxFields) throw new CsvSyntaxError(recordLine, `more than ${lim.maxFields} fields`, `nhiều hơn ${lim.maxFields} cột`);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    // A blank line is not a record (common at the end of files).
    if (!(fields.length === 1 && fields[0] === '')) {
      records.push({ line: recordLine, fields });
      if (records.length > lim.maxRecords) throw new CsvSyntaxError(recordLine, `more than ${lim.maxRecords} records`, `nhiều hơn ${lim.maxRecords} dòng`);
    }
    fields = [];
  };

  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CsvSyntaxError(line, 'unexpected character after a closing quote', 'có ký tự ngay sau dấu ngoặc kép đóng');
        }
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (fieldStarted || field.length > 0) throw new CsvSyntaxError(line, 'a quote inside an unquoted field', 'có dấu ngoặc kép giữa một ô không được đặt trong ngoặc kép');
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (c === ',') {
      endField();
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted field is not closed', 'một ô mở ngoặc kép mà không đóng');
  if (field.length > 0 || fields.length > 0 || fieldStarted) endRecord();
  return records;
}

/** Records of a file whose first record is the header, as objects keyed by (trimmed) column name. */
export type CsvRow = { line: number; values: Record<string, string> } | { line: number; error: string; errorVi: string };

export function parseCsvWithHeader(
  input: string,
  columns: { required: readonly string[]; optional: readonly string[]; labels?: Readonly<Record<string, string>> },
  limits?: Partial<CsvLimits>,
): CsvRow[] {
  const records = parseCsv(input.replace(/^\uFEFF/, ''), limits);
  const header = records.shift();
  if (!header) throw new CsvSyntaxError(1, 'the file is empty; the first line must name the columns', 'tệp trống; dòng đầu phải là tên các cột');
  // a column may be named by its key (plate) or by its Vietnamese header (Biển số), in any case
  const byName = new Map<string, string>();
  const fold = (s: string) => s.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
  for (const key of [...columns.required, ...columns.optional]) {
    byName.set(fold(key), key);
    const label = columns.labels?.[key];
    if (label) byName.set(fold(label), key);
  }
  const given = header.fields.map((f) => f.trim());
  const unknown = given.filter((n) => !byName.has(fold(n)));
  if (unknown.length > 0) throw new CsvSyntaxError(header.line, `unknown column(s): ${unknown.join(', ')}`, `không có cột tên: ${unknown.join(', ')}`);
  const names = given.map((n) => byName.get(fold(n))!);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new CsvSyntaxError(header.line, `column ${dup} appears twice`, `cột ${columns.labels?.[dup] ?? dup} có hai lần`);
  const missing = columns.required.filter((n) => !names.includes(n));
  if (missing.length > 0) {
    throw new CsvSyntaxError(header.line, `missing column(s): ${missing.join(', ')}`, `thiếu cột: ${missing.map((m) => columns.labels?.[m] ?? m).join(', ')}`);
  }
  return records.map((r) => {
    if (r.fields.length !== names.length) return { line: r.line, error: `expected ${names.length} fields, found ${r.fields.length}`, errorVi: `cần ${names.length} ô, có ${r.fields.length}` };
    const values: Record<string, string> = {};
    names.forEach((n, i) => (values[n] = r.fields[i]!.trim()));
    return { line: r.line, values };
  });
}
