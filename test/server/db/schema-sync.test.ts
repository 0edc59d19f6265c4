import { getTableName, is, Table } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../../../server/db/pg/schema/index.js';
import * as sqliteSchema from '../../../server/db/schema/index.js';

/**
 * The SQLite and PostgreSQL schemas describe the same tables, columns, keys and indexes (karakeep's
 * schema-sync check): a column added to one engine only fails here, not in production.
 */
type Shape = Record<string, { columns: Record<string, { type: string; notNull: boolean; pk: boolean }>; pk: string[]; indexes: string[] }>;

// SQLite storage classes and the PostgreSQL types that carry the same values.
const SAME_VALUES: Record<string, string[]> = {
  integer: ['bigint', 'integer', 'boolean', 'serial', 'bigserial'],
  text: ['text', 'jsonb', 'json'],
  real: ['double precision', 'real'],
  blob: ['bytea'],
};

function tables<T>(schema: Record<string, unknown>, kind: abstract new (...a: never[]) => T): T[] {
  return Object.values(schema).filter((v): v is T => is(v, Table) && v instanceof kind);
}

interface TableConfigLike {
  columns: { name: string; notNull: boolean; primary: boolean; getSQLType(): string }[];
  primaryKeys: { columns: { name: string }[] }[];
  indexes: { config: { name?: string } }[];
}

function shapeOf<T extends Table>(list: T[], configOf: (t: T) => TableConfigLike): Shape {
  const out: Shape = {};
  for (const t of list) {
    const c = configOf(t);
    out[getTableName(t)] = {
      columns: Object.fromEntries(c.columns.map((col) => [col.name, { type: col.getSQLType(), notNull: col.notNull, pk: col.primary }])),
      pk: c.primaryKeys.flatMap((k) => k.columns.map((col) => col.name)),
      indexes: c.indexes.map((i) => i.config.name ?? '').sort(),
    };
  }
  return out;
}

/**
 * The one intended difference: PostgreSQL partitions the journal by month of `at`, and a partitioned
 * table's keys must include the partition column; (station, seq) stays unique through ingest's
 * per-station lock and lookup (server/services/ingest/pg-repository.ts).
 */
const PG_KEY_WITH_PARTITION_COLUMN: Record<string, string[]> = { journal: ['at'] };

describe('server schema: SQLite and PostgreSQL', () => {
  const lite = shapeOf(tables(sqliteSchema, SQLiteTable), sqliteConfig);
  const pg = shapeOf(tables(pgSchema, PgTable), pgConfig);

  it('have the same tables', () => {
    expect(Object.keys(pg).sort()).toEqual(Object.keys(lite).sort());
  });

  it('have the same columns, nullability, keys and index names in every table', () => {
    for (const [name, table] of Object.entries(lite)) {
      const twin = pg[name];
      if (!twin) continue; // reported by the test above
      expect(Object.keys(twin.columns).sort(), `${name}: columns`).toEqual(Object.keys(table.columns).sort());
      for (const [col, def] of Object.entries(table.columns)) {
        const other = twin.columns[col]!;
        expect(other.notNull, `${name}.${col}: NOT NULL`).toBe(def.notNull);
        expect(other.pk, `${name}.${col}: primary key`).toBe(def.pk);
        expect(SAME_VALUES[def.type] ?? [def.type], `${name}.${col}: ${def.type} vs ${other.type}`).toContain(other.type);
      }
      expect(twin.pk, `${name}: composite primary key`).toEqual([...table.pk, ...(PG_KEY_WITH_PARTITION_COLUMN[name] ?? [])]);
      expect(twin.indexes, `${name}: indexes`).toEqual(table.indexes);
    }
  });

  it('keep times and sequence numbers as 64-bit integers in PostgreSQL', () => {
    for (const [name, table] of Object.entries(pg)) {
      for (const [col, def] of Object.entries(table.columns)) {
        if (/(_at|_seq|^seq|_ms)$/.test(col) || col === 'at') expect(def.type, `${name}.${col}`).toBe('bigint');
      }
    }
  });
});
