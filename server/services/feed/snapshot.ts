import type Database from 'better-sqlite3';

/**
 * Snapshot pages walk the current state by key (keyset pagination, never OFFSET), entity after
 * entity: trust list first (stations verify the policy with it), then policy, zones, passes, people.
 * Rows whose last change is after the snapshot's cursor are skipped; the deltas that follow the
 * snapshot deliver them, so snapshot + deltas since its cursor is exactly the current state. The
 * versioned documents (trust list, policy) are read as they were at the cursor.
 */
export interface SnapshotPosition {
  cursor: number;
  /** index into SNAPSHOT_ENTITIES */
  entity: number;
  /** last key returned within that entity, null before its first row */
  after: string | number | null;
}

export interface SnapshotRows {
  items: string[];
  next: SnapshotPosition | null;
}

type Walker = (cursor: number, after: string | number | null, limit: number) => { key: string | number; item: string }[];

export const SNAPSHOT_ENTITIES = ['trustList', 'policy', 'zone', 'pass', 'person'] as const;

export class SqliteSnapshotReader {
  private readonly walkers: Walker[];

  constructor(db: Database.Database) {
    const latestDoc = (table: string): Walker => {
      const stmt = db.prepare<[number], { version: number; item: string }>(
        `SELECT version, item FROM ${table} WHERE change_seq <= ? ORDER BY version DESC LIMIT 1`,
      );
      return (cursor, after) => {
        if (after !== null) return [];
        const row = stmt.get(cursor);
        return row ? [{ key: row.version, item: row.item }] : [];
      };
    };
    const keyed = (table: string, keyColumn: string, firstKey: string | number): Walker => {
      const stmt = db.prepare<[string | number, number, number], { key: string | number; item: string }>(
        `SELECT ${keyColumn} AS key, item FROM ${table} WHERE ${keyColumn} > ? AND change_seq <= ? ORDER BY ${keyColumn} LIMIT ?`,
      );
      return (cursor, after, limit) => stmt.all(after ?? firstKey, cursor, limit);
    };
    this.walkers = [
      latestDoc('trust_lists'),
      latestDoc('policies'),
      keyed('zones', 'zone', ''),
      keyed('passes', 'id', 0),
      keyed('people', 'citizen_id', ''),
    ];
  }

  /** Up to `limit` items from `pos`. Synchronous, so one page reads one consistent database state. */
  page(pos: SnapshotPosition, limit: number): SnapshotRows {
    const items: string[] = [];
    let { entity, after } = pos;
    while (entity < this.walkers.length) {
      const want = limit - items.length;
      if (want === 0) return { items, next: { cursor: pos.cursor, entity, after } };
      const rows = this.walkers[entity]!(pos.cursor, after, want);
      for (const r of rows) items.push(r.item);
      if (rows.length === want && rows.length > 0) {
        // The entity may have more rows; continue after the last key returned.
        after = rows[rows.length - 1]!.key;
        if (SNAPSHOT_ENTITIES[entity] === 'trustList' || SNAPSHOT_ENTITIES[entity] === 'policy') {
          entity++;
          after = null;
        }
        continue;
      }
      entity++;
      after = null;
    }
    return { items, next: null };
  }
}
