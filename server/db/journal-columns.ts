import type Database from 'better-sqlite3';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import { JOURNAL_RECORD_FIELDS, type ColumnCodec, type RecordField } from '../../shared/journal-record/fields.js';
import { compileObject, compileRun, prop, type RowEntry } from '../../shared/journal-record/compiled-rows.js';
import { columnList, placeholders, rowDecoder, selectList } from '../../shared/journal-record/sql-lists.js';

/**
 * The server's journal row, derived from the record's one definition (shared/journal-record/fields.ts):
 * the record's fields, then what the server adds at ingest. Both engines' tables
 * (server/db/schema/journal.ts, server/db/pg/schema/journal.ts) hold exactly these columns, which
 * test/shared/journal-record checks.
 */

/** 1/0 on SQLite, and what the PostgreSQL client returns for a boolean (server/db/pg-client.ts). */
const FLAG_CODEC: ColumnCodec = {
  encode: (v) => (v ? 1 : 0),
  decode: (s) => s === 1 || s === true,
};

/** Where the server got the record and what it found: the columns a station's journal does not have. */
export const SERVER_ONLY_FIELDS = [
  { key: 'receivedAt', column: 'received_at' },
  { key: 'checkpointId', column: 'checkpoint_id' },
  { key: 'province', column: 'province' },
  /** false when the record's own hash did not match its content on arrival */
  { key: 'hashOk', column: 'hash_ok', codec: FLAG_CODEC },
  /** set by retention when it clears the personal columns */
  { key: 'purgedAt', column: 'purged_at' },
] as const satisfies readonly RecordField[];

export const SERVER_JOURNAL_FIELDS: readonly RecordField[] = [...JOURNAL_RECORD_FIELDS, ...SERVER_ONLY_FIELDS];

/** What ingest adds to each record of a batch. */
export interface IngestContext {
  receivedAt: number;
  checkpointId: number;
  province: number;
}

/** A server journal row under the wire's field names. */
export type ServerJournalRow = JournalRecord & IngestContext & { hashOk: boolean; purgedAt: number | null };

/** The fields of a server row, by wire name; a list of them picks columns for a read. */
export type ServerJournalKey = keyof ServerJournalRow;

const byKey = new Map(SERVER_JOURNAL_FIELDS.map((f) => [f.key, f]));

/** The definition's fields for these keys, in the order given. */
export function serverFields(keys: readonly ServerJournalKey[]): RecordField[] {
  return keys.map((k) => byKey.get(k)!);
}

/** `j.station_id AS "stationId", …` for these fields, and the reader that decodes such a row in place. */
export function journalRead<T>(keys: readonly ServerJournalKey[], tableAlias = 'j'): { columns: string; decode: (row: Record<string, unknown>) => T } {
  const fields = serverFields(keys);
  return { columns: selectList(fields, tableAlias), decode: rowDecoder<T>(fields) };
}

// ---- ingest: one statement text per engine and its row builder, built here once ----

/** The server-only columns ingest writes (purged_at stays NULL): from the batch's context and the hash check. */
const INGEST_FIELDS = SERVER_ONLY_FIELDS.filter((f) => f.key !== 'purgedAt');
const INSERT_FIELDS: readonly RecordField[] = [...JOURNAL_RECORD_FIELDS, ...INGEST_FIELDS];

/** Where each inserted value comes from: `(r, ctx, hashOk)`; `raw` leaves the flag a boolean. */
function ingestEntries(rawFlag: boolean): RowEntry[] {
  return [
    ...JOURNAL_RECORD_FIELDS.map((field) => ({ field, read: prop('r', field.key) })),
    ...INGEST_FIELDS.map((field) => (field.key === 'hashOk' ? { field, read: 'hashOk', raw: rawFlag } : { field, read: prop('ctx', field.key) })),
  ];
}

/** SQLite's journal insert with positional parameters (run it with `runJournalInsert`). */
export const SQLITE_JOURNAL_INSERT = `INSERT INTO journal (${columnList(INSERT_FIELDS)}) VALUES (${placeholders(INSERT_FIELDS)})`;

/** Runs SQLITE_JOURNAL_INSERT (prepared, with any ON CONFLICT clause) for one record. */
export const runJournalInsert = compileRun<Database.Statement, [r: JournalRecord, ctx: IngestContext, hashOk: boolean]>(['r', 'ctx', 'hashOk'], ingestEntries(false));

/**
 * A journal row keyed by column name, as PostgreSQL ingest's COPY writes it (server/db/pg-copy.ts):
 * purged_at left out, so it stays NULL; the flag stays a boolean, which COPY writes as t/f.
 */
export const journalPgRow = compileObject<[r: JournalRecord, ctx: IngestContext, hashOk: boolean]>(['r', 'ctx', 'hashOk'], ingestEntries(true));
