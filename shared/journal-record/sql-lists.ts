import type { RecordField } from './fields.js';

/**
 * SQL text and row conversions derived from a field list (fields.ts). Built once, when a statement is
 * prepared, never per row.
 */

/**
 * `t.station_id AS "stationId", …`: each column under its wire name. Aliases are quoted: PostgreSQL
 * folds unquoted names to lower case, SQLite keeps them; quoted, both answer in camelCase.
 */
export function selectList(fields: readonly RecordField[], tableAlias?: string): string {
  const t = tableAlias ? `${tableAlias}.` : '';
  return fields.map((f) => `${t}${f.column} AS "${f.key}"`).join(', ');
}

/** `station_id, seq, …`: the columns in the list's order, for an INSERT. */
export function columnList(fields: readonly RecordField[]): string {
  return fields.map((f) => f.column).join(', ');
}

/** `?, ?, …`: one positional placeholder per field. */
export function placeholders(fields: readonly RecordField[]): string {
  return fields.map(() => '?').join(', ');
}

/** The fields whose stored form differs from the wire form. */
export function codecFields(fields: readonly RecordField[]): readonly (RecordField & Required<Pick<RecordField, 'codec'>>)[] {
  return fields.filter((f): f is RecordField & Required<Pick<RecordField, 'codec'>> => f.codec !== undefined);
}

/**
 * Turns a row read with `selectList` into the record in place: only the coded fields change (a copy of
 * each row would cost a second object per row on the hot reads: the outbox, the audit pages).
 */
export function rowDecoder<T>(fields: readonly RecordField[]): (row: Record<string, unknown>) => T {
  const coded = codecFields(fields);
  return (row) => {
    for (let i = 0; i < coded.length; i++) {
      const f = coded[i]!;
      row[f.key] = f.codec.decode(row[f.key]);
    }
    return row as T;
  };
}

/**
 * Writes `source`'s fields into `values` from `offset` on, encoded, in the list's order: the
 * positional parameters of an INSERT built with `columnList`/`placeholders`. The caller reuses one
 * array for every row.
 */
export function encodeInto(fields: readonly RecordField[], values: unknown[], offset: number, source: object): void {
  const s = source as Record<string, unknown>;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = s[f.key];
    values[offset + i] = f.codec === undefined ? v : f.codec.encode(v);
  }
}
