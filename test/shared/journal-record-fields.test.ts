import { getTableColumns, type Column } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { JournalRecordSchema } from '../../shared/contracts/journal.js';
import { journal as serverJournal } from '../../server/db/schema/journal.js';
import { journal as serverPgJournal } from '../../server/db/pg/schema/journal.js';
import { journal as stationJournal } from '../../station/store/schema.js';

/** What each store keeps beside the record itself (none of it is hashed or uploaded). */
const STATION_ONLY = ['purgedAt'];
const SERVER_ONLY = ['receivedAt', 'checkpointId', 'province', 'hashOk', 'purgedAt'];

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** field name → column name of a table, without the store's own columns */
function recordColumns(table: Parameters<typeof getTableColumns>[0], own: string[]): Record<string, string> {
  const cols = getTableColumns(table) as Record<string, Column>;
  const pairs: [string, string][] = Object.entries(cols).filter(([k]) => !own.includes(k)).map(([k, c]) => [k, c.name]);
  return Object.fromEntries(pairs.sort(([a], [b]) => a.localeCompare(b)));
}

describe('one journal record: the wire contract, the station\'s journal and the server\'s have the same fields', () => {
  const contract = Object.fromEntries(Object.keys(JournalRecordSchema.properties).sort().map((k) => [k, snake(k)]));

  it('the station\'s journal table holds every field of the contract, and nothing else but its purge mark', () => {
    expect(recordColumns(stationJournal, STATION_ONLY)).toEqual(contract);
  });

  it('the server\'s journal table (SQLite) holds every field of the contract, beside what the server adds on arrival', () => {
    expect(recordColumns(serverJournal, SERVER_ONLY)).toEqual(contract);
  });

  it('the server\'s journal table (PostgreSQL) holds the same fields', () => {
    expect(recordColumns(serverPgJournal, SERVER_ONLY)).toEqual(contract);
  });

  it('a field that may be absent in the contract may be null in every table, and the others may not', () => {
    const nullable = Object.entries(JournalRecordSchema.properties).filter(([, s]) => JSON.stringify(s).includes('"type":"null"')).map(([k]) => k).sort();
    for (const table of [stationJournal, serverJournal, serverPgJournal]) {
      const cols = getTableColumns(table) as Record<string, Column>;
      expect(Object.keys(contract).filter((k) => !cols[k]!.notNull).sort()).toEqual(nullable);
    }
  });
});
