import { getTableColumns, type Column } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { JournalRecordSchema } from '../../../shared/contracts/journal.js';
import { JOURNAL_RECORD_FIELDS, PERSONAL_COLUMNS } from '../../../shared/journal-record/fields.js';
import { SERVER_JOURNAL_FIELDS, SERVER_ONLY_FIELDS, SQLITE_JOURNAL_INSERT } from '../../../server/db/journal-columns.js';
import { journal as serverJournal } from '../../../server/db/schema/journal.js';
import { journal as serverPgJournal } from '../../../server/db/pg/schema/journal.js';
import { journal as stationJournal } from '../../../station/store/schema.js';

/** What the station keeps beside the record itself (not hashed, not uploaded). */
const STATION_ONLY = [{ key: 'purgedAt', column: 'purged_at' }];

type Table = Parameters<typeof getTableColumns>[0];

/** a table's columns as (field name → column name), sorted by field */
function tableFields(table: Table): Record<string, string> {
  const cols = getTableColumns(table) as Record<string, Column>;
  return Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, c.name] as const).sort(([a], [b]) => a.localeCompare(b)));
}

/** a field list as (field name → column name), sorted by field */
function definedFields(fields: readonly { key: string; column: string }[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.key, f.column] as const).sort(([a], [b]) => a.localeCompare(b)));
}

describe('one journal record: the wire contract, the station\'s journal and the server\'s have the fields of one definition', () => {
  it('the definition lists every property of the wire contract once, and nothing else', () => {
    expect(JOURNAL_RECORD_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(JournalRecordSchema.properties).sort());
    expect(new Set(JOURNAL_RECORD_FIELDS.map((f) => f.column)).size).toBe(JOURNAL_RECORD_FIELDS.length);
  });

  it('the station\'s journal table holds exactly the defined columns under the same field names, and its purge mark', () => {
    expect(tableFields(stationJournal)).toEqual(definedFields([...JOURNAL_RECORD_FIELDS, ...STATION_ONLY]));
  });

  it('the server\'s journal table (SQLite) holds exactly the defined columns, the record\'s and the server\'s own', () => {
    expect(tableFields(serverJournal)).toEqual(definedFields(SERVER_JOURNAL_FIELDS));
    expect(SERVER_JOURNAL_FIELDS.length).toBe(JOURNAL_RECORD_FIELDS.length + SERVER_ONLY_FIELDS.length);
  });

  it('the server\'s journal table (PostgreSQL) holds the same columns', () => {
    expect(tableFields(serverPgJournal)).toEqual(definedFields(SERVER_JOURNAL_FIELDS));
  });

  it('ingest\'s SQLite insert names every server column but the purge mark, with one placeholder each', () => {
    const m = /^INSERT INTO journal \(([^)]*)\) VALUES \(([^)]*)\)$/.exec(SQLITE_JOURNAL_INSERT);
    expect(m).not.toBeNull();
    const columns = m![1]!.split(', ');
    expect(columns.sort()).toEqual(SERVER_JOURNAL_FIELDS.map((f) => f.column).filter((c) => c !== 'purged_at').sort());
    expect(m![2]!.split(', ')).toEqual(columns.map(() => '?'));
  });

  it('a field that may be absent in the contract may be null in every table, and the others may not', () => {
    const nullable = Object.entries(JournalRecordSchema.properties).filter(([, s]) => JSON.stringify(s).includes('"type":"null"')).map(([k]) => k).sort();
    const recordKeys = JOURNAL_RECORD_FIELDS.map((f) => f.key as string);
    for (const table of [stationJournal, serverJournal, serverPgJournal]) {
      const cols = getTableColumns(table) as Record<string, Column>;
      expect(recordKeys.filter((k) => !cols[k]!.notNull).sort()).toEqual(nullable);
    }
  });

  it('retention clears the same personal columns on the station and the server, each of them nullable in every table', () => {
    expect([...PERSONAL_COLUMNS].sort()).toEqual(['citizen_id', 'crossing_id', 'note', 'officer', 'pass_id', 'pass_version', 'payload_hash', 'plate', 'scanner_id']);
    for (const table of [stationJournal, serverJournal, serverPgJournal]) {
      const byColumn = new Map(Object.values(getTableColumns(table) as Record<string, Column>).map((c) => [c.name, c]));
      for (const c of PERSONAL_COLUMNS) expect(byColumn.get(c)?.notNull, c).toBe(false);
    }
  });
});
