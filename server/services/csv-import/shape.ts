import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { DomainError, ValidationError } from '../../domain-errors.js';

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
  message: string;
}

/** The message of an error a row caused, in English and Vietnamese when it is a domain error. */
export function rowMessage(err: unknown): string {
  if (err instanceof DomainError) return err.messageVi === err.message ? err.message : `${err.message} / ${err.messageVi}`;
  return (err as Error).message;
}
