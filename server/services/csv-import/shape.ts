import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { DomainError, ValidationError } from '../../domain-errors.js';
import { RowInvalidError, type CellError } from './cells.js';

/** Validate input that did not come through a route schema (CSV rows, JSON imports, seeding). */
export function checkShape<S extends TSchema>(schema: S, value: unknown, what: string): void {
  if (!Value.Check(schema, value)) {
    const e = Value.Errors(schema, value).First();
    const at = e?.path || '/';
    throw new ValidationError(`${what} ${at}: ${e?.message ?? 'invalid'}`, `${what} không hợp lệ tại ${at}: ${e?.message ?? ''}`, { field: at });
  }
}

/** One rejected row of an import: its 1-based position among the data rows and, for CSV, its line in the file. */
export interface RowError {
  row: number;
  line: number | null;
  /** English, every problem of the row joined */
  message: string;
  /** Vietnamese, for people */
  messageVi: string;
  /** each wrong cell, when the row was read cell by cell */
  errors?: CellError[];
}

/** What a row's error says, in English and Vietnamese, with every wrong cell when there are several. */
export function rowProblem(err: unknown): Pick<RowError, 'message' | 'messageVi' | 'errors'> {
  if (err instanceof RowInvalidError) return { message: err.message, messageVi: err.errors.map((e) => e.messageVi).join('; '), errors: err.errors };
  if (err instanceof DomainError) return { message: err.message, messageVi: err.messageVi };
  return { message: (err as Error).message, messageVi: `Dòng không hợp lệ (${(err as Error).message})` };
}
