import type { RecordField } from './fields.js';

/**
 * Row builders compiled once from a field list, for the hot writes (ingest: 100k records a second on
 * one core). A loop over the fields reading `record[field.key]` cost ingest about a third of its row
 * building (measured: keyed reads of 26 names are megamorphic); the compiled function is the code one
 * would write by hand, `stmt.run(r["stationId"], …)` or `{ "station_id": r["stationId"], … }`,
 * generated from the one definition instead of written out again. Only names from the definition
 * (JSON-quoted) and the caller's parameter names enter the generated text, never data.
 */

/** One value of the row: a field and the JS expression (over the builder's parameters) that reads it. */
export interface RowEntry {
  field: RecordField;
  /** e.g. `r["seq"]` (see `prop`) or a parameter name */
  read: string;
  /** write the value as it is read, without the field's codec (a driver that takes the JS value) */
  raw?: boolean;
}

/** The expression reading `key` from parameter `param`. */
export const prop = (param: string, key: string): string => `${param}[${JSON.stringify(key)}]`;

const PARAM = /^[A-Za-z_$][\w$]*$/;

function compile<F>(params: readonly string[], body: (value: (e: RowEntry) => string) => string): F {
  for (const p of params) if (!PARAM.test(p)) throw new Error(`not a parameter name: ${p}`);
  const encoders: ((v: unknown) => unknown)[] = [];
  const value = (e: RowEntry): string => {
    if (e.raw || e.field.codec === undefined) return e.read;
    encoders.push(e.field.codec.encode);
    return `enc${encoders.length - 1}(${e.read})`;
  };
  const text = body(value);
  const names = encoders.map((_, i) => `enc${i}`);
  return new Function(...names, `'use strict'; return function (${params.join(', ')}) { ${text} };`)(...encoders) as F;
}

/**
 * `(stmt, ...params) => stmt.run(value0, value1, …)`: runs a prepared INSERT over the same fields
 * with the entries' encoded values as its positional parameters, as a hand-written call would
 * (better-sqlite3 binds separate arguments faster than one array).
 */
export function compileRun<S extends { run(...values: unknown[]): unknown }, P extends unknown[]>(
  params: readonly string[], entries: readonly RowEntry[],
): (stmt: S, ...args: P) => ReturnType<S['run']> {
  return compile(['stmt', ...params], (value) => `return stmt.run(${entries.map(value).join(', ')});`);
}

/** `(...params) => ({ column: value, … })`: an object keyed by column name, one literal (one shape) for every row. */
export function compileObject<P extends unknown[]>(params: readonly string[], entries: readonly RowEntry[]): (...args: P) => Record<string, unknown> {
  return compile(params, (value) => `return { ${entries.map((e) => `${JSON.stringify(e.field.column)}: ${value(e)}`).join(', ')} };`);
}
