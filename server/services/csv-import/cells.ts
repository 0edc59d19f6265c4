import { parseVnDateTime } from '../../../shared/time/vietnam-time.js';

/**
 * Reading one import row cell by cell, collecting every problem instead of stopping at the first:
 * a row with a bad plate, a bad citizen id and a bad date reports all three, each naming its column
 * in Vietnamese (and English). Dates are read as people write them: dd/mm/yyyy [HH:mm], or ISO text,
 * in Vietnam time. Enumerations accept their Vietnamese words as well as their codes.
 */
export interface CellError {
  column: string;
  message: string;
  messageVi: string;
}

/** A row whose cells are wrong: every wrong cell is listed. */
export class RowInvalidError extends Error {
  constructor(readonly errors: CellError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

export interface Choice<T> {
  value: T;
  /** the words people may write for it (compared without case and extra spaces) */
  words: readonly string[];
}

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const norm = (s: string): string => s.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

export class RowCells {
  readonly errors: CellError[] = [];

  /** `labels`: column → its Vietnamese name, for the messages. */
  constructor(private readonly v: Record<string, unknown>, private readonly labels: Readonly<Record<string, string>>) {}

  fail(column: string, vi: string, en: string): void {
    this.errors.push({ column, messageVi: `${this.labels[column] ?? column}: ${vi}`, message: `${column}: ${en}` });
  }

  private raw(column: string, required: boolean): string | null {
    const v = this.v[column];
    if (blank(v)) {
      if (required) this.fail(column, 'cần nhập', 'required');
      return null;
    }
    return typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : JSON.stringify(v);
  }

  text(column: string, maxLen: number, required: true): string;
  text(column: string, maxLen: number, required?: boolean): string | null;
  text(column: string, maxLen: number, required = false): string | null {
    const s = this.raw(column, required);
    if (s !== null && s.length > maxLen) this.fail(column, `không quá ${maxLen} ký tự`, `longer than ${maxLen} characters`);
    // a missing required cell is already an error: '' only keeps the type until done() throws
    return s ?? (required ? '' : null);
  }

  /** Text that must match a form; `need` says the form in words. */
  matching(column: string, re: RegExp, need: [vi: string, en: string], required = false): string | null {
    const s = this.raw(column, required);
    if (s !== null && !re.test(s)) this.fail(column, `"${s.slice(0, 40)}" không đúng: ${need[0]}`, `"${s.slice(0, 40)}" is not valid: ${need[1]}`);
    return s;
  }

  time(column: string, required: true): number;
  time(column: string, required?: false): number | null;
  time(column: string, required = false): number | null {
    const v = this.v[column];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    const s = this.raw(column, required);
    if (s === null) return required ? 0 : null;
    if (/^\d{10,15}$/.test(s)) return Number(s);
    const t = parseVnDateTime(s);
    if (t === null) {
      this.fail(column, `"${s.slice(0, 40)}" không phải ngày giờ hợp lệ (viết dd/mm/yyyy hoặc dd/mm/yyyy HH:mm, giờ Việt Nam)`,
        `"${s.slice(0, 40)}" is not a valid date (write dd/mm/yyyy or dd/mm/yyyy HH:mm, Vietnam time)`);
      return 0;
    }
    return t;
  }

  int(column: string, min: number, max: number, required: true): number;
  int(column: string, min: number, max: number, required?: false): number | null;
  int(column: string, min: number, max: number, required = false): number | null {
    const s = this.raw(column, required);
    if (s === null) return required ? min : null;
    const n = /^-?\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      this.fail(column, `"${s.slice(0, 20)}" phải là số nguyên từ ${min} đến ${max}`, `"${s.slice(0, 20)}" must be a whole number ${min}..${max}`);
      return min;
    }
    return n;
  }

  /** Whole numbers separated by ";" (commas would clash with CSV) or given as a JSON array. */
  intList(column: string, min: number, max: number): number[] {
    const v = this.v[column];
    const parts = Array.isArray(v) ? v.map(String) : blank(v) ? [] : String(v).split(/[;\s]+/).filter(Boolean);
    const out: number[] = [];
    for (const p of parts) {
      const n = /^\d+$/.test(p.trim()) ? Number(p.trim()) : NaN;
      if (!Number.isInteger(n) || n < min || n > max) {
        this.fail(column, `"${p.slice(0, 20)}" phải là số từ ${min} đến ${max}, các số cách nhau bởi dấu ;`, `"${p.slice(0, 20)}" must be a number ${min}..${max}, separated by ;`);
        return [];
      }
      out.push(n);
    }
    return out;
  }

  /** One of a few values, by its code or its words. */
  choice<T>(column: string, choices: readonly Choice<T>[], required: true, fallback: T): T;
  choice<T>(column: string, choices: readonly Choice<T>[], required: false, fallback: T): T;
  choice<T>(column: string, choices: readonly Choice<T>[], required: boolean, fallback: T): T {
    const s = this.raw(column, required);
    if (s === null) return fallback;
    const found = choices.find((c) => c.words.some((w) => norm(w) === norm(s)));
    if (!found) {
      const list = choices.map((c) => c.words[0]).join(', ');
      this.fail(column, `"${s.slice(0, 40)}" không nằm trong danh sách: ${list}`, `"${s.slice(0, 40)}" is not one of: ${list}`);
      return fallback;
    }
    return found.value;
  }

  /** Throws the row's errors, if any. */
  done(): void {
    if (this.errors.length > 0) throw new RowInvalidError(this.errors);
  }
}
