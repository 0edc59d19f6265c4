import type Database from 'better-sqlite3';
import { FLAGGED_SQL } from './change-log.js';
import type { FeedScope } from './station-scope.js';

/**
 * Snapshot pages walk the current state by key (keyset pagination, never OFFSET), entity after
 * entity: trust list first (stations verify the policy with it), then the station's province's policy, zones, the passes that
 * may cross the asking station, the national list of passes not ACTIVE, the national flag list (see
 * station-scope.ts: never the population).
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

type Walker = (scope: FeedScope, cursor: number, after: string | number | null, limit: number) => { key: string | number; item: string }[];

export const SNAPSHOT_ENTITIES = ['trustList', 'policy', 'zone', 'pass', 'passStatus', 'flag'] as const;

// A route is stored as a JSON array of integers ("[7901,8001]"): with its brackets turned into commas,
// ",7901," finds a stop without parsing. A filter, not an index: one walk of the passes per snapshot.
const ROUTE_HAS = (column: string) => `instr(replace(replace(${column}, '[', ','), ']', ','), ?) > 0`;

export class SqliteSnapshotReader {
  private readonly walkers: Walker[];

  constructor(db: Database.Database) {
    const latestDoc = (table: string): Walker => {
      const stmt = db.prepare<[number], { version: number; item: string }>(
        `SELECT version, item FROM ${table} WHERE change_seq <= ? ORDER BY version DESC LIMIT 1`,
      );
      return (_scope, cursor, after) => {
        if (after !== null) return [];
        const row = stmt.get(cursor);
        return row ? [{ key: row.version, item: row.item }] : [];
      };
    };
    const keyed = (table: string, keyColumn: string, firstKey: string | number): Walker => {
      const stmt = db.prepare<[string | number, number, number], { key: string | number; item: string }>(
        `SELECT ${keyColumn} AS key, item FROM ${table} WHERE ${keyColumn} > ? AND change_seq <= ? ORDER BY ${keyColumn} LIMIT ?`,
      );
      return (_scope, cursor, after, limit) => stmt.all(after ?? firstKey, cursor, limit);
    };
    const passesHere = db.prepare<[number, number, string, string, number], { key: number; item: string }>(
      `SELECT id AS key, item FROM passes WHERE id > ? AND change_seq <= ?
        AND (${ROUTE_HAS('route_checkpoints')} OR ${ROUTE_HAS('route_provinces')}) ORDER BY id LIMIT ?`,
    );
    const statusList = db.prepare<[number, number, number], { key: number; item: string }>(
      `SELECT id AS key, json_object('type', 'passStatus', 'issuingProvince', issuing_province, 'passId', id, 'status', status,
        'since', updated_at) AS item FROM passes WHERE id > ? AND change_seq <= ? AND status <> 'ACTIVE' ORDER BY id LIMIT ?`,
    );
    // INDEXED BY: the walk must stay on the flagged people (people_flagged), never the population.
    const flagList = db.prepare<[string, number, number], { key: string; item: string }>(
      `SELECT citizen_id AS key, json_object('type', 'flag', 'citizenId', citizen_id, 'status', status, 'statusAsOf', status_as_of,
        'test', CASE WHEN json_extract(test, '$.result') = 'POSITIVE'
          THEN json_object('type', json_extract(test, '$.type'), 'result', 'POSITIVE', 'sampledAt', json_extract(test, '$.sampledAt')) END) AS item
        FROM people INDEXED BY people_flagged WHERE citizen_id > ? AND change_seq <= ? AND ${FLAGGED_SQL} ORDER BY citizen_id LIMIT ?`,
    );
    // The station's province's own latest policy, else the deployment's (null province); never another province's.
    const policyHere = db.prepare<[number, number], { version: number; item: string }>(
      `SELECT version, item FROM policies WHERE change_seq <= ? AND (province = ? OR province IS NULL)
        ORDER BY province IS NULL, version DESC LIMIT 1`,
    );
    this.walkers = [
      latestDoc('trust_lists'),
      (scope, cursor, after) => {
        if (after !== null) return [];
        const row = policyHere.get(cursor, scope.province);
        return row ? [{ key: row.version, item: row.item }] : [];
      },
      keyed('zones', 'zone', ''),
      (scope, cursor, after, limit) => passesHere.all(Number(after ?? 0), cursor, `,${scope.checkpointId},`, `,${scope.province},`, limit),
      (_scope, cursor, after, limit) => statusList.all(Number(after ?? 0), cursor, limit),
      (_scope, cursor, after, limit) => flagList.all(String(after ?? ''), cursor, limit),
    ];
  }

  /** Up to `limit` items from `pos`. Synchronous, so one page reads one consistent database state. */
  page(scope: FeedScope, pos: SnapshotPosition, limit: number): SnapshotRows {
    const items: string[] = [];
    let { entity, after } = pos;
    while (entity < this.walkers.length) {
      const want = limit - items.length;
      if (want === 0) return { items, next: { cursor: pos.cursor, entity, after } };
      const rows = this.walkers[entity]!(scope, pos.cursor, after, want);
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
