import type { SqliteClient } from '../../db/sqlite-client.js';
import { walkPageSync, type SnapshotPosition, type SnapshotReader, type SnapshotRows, type Walker, type WalkRow } from './snapshot.js';
import type { FeedScope } from './station-scope.js';

/**
 * A person on the national flag list, in SQL: F0/F1 or a positive latest test. The people table's
 * partial index `people_flagged` has the same condition (keep them in step: the planner uses it only then).
 */
export const FLAGGED_SQL = "(status <> 'NONE' OR json_extract(test, '$.result') = 'POSITIVE')";

// A route is stored as a JSON array of integers ("[7901,8001]"): with its brackets turned into commas,
// ",7901," finds a stop without parsing. A filter, not an index: one walk of the passes per snapshot.
const ROUTE_HAS = (column: string) => `instr(replace(replace(${column}, '[', ','), ']', ','), ?) > 0`;

/** The snapshot walk on SQLite: prepared better-sqlite3 statements (the walk streams millions of rows). */
export class SqliteSnapshotReader implements SnapshotReader {
  private readonly walkers: Walker<WalkRow[]>[];

  constructor(private readonly client: SqliteClient) {
    const db = client.raw;
    const latestDoc = (table: string): Walker<WalkRow[]> => {
      const stmt = db.prepare<[number], { version: number; item: string }>(
        `SELECT version, item FROM ${table} WHERE change_seq <= ? ORDER BY version DESC LIMIT 1`,
      );
      return (_scope, cursor, after) => {
        if (after !== null) return [];
        const row = stmt.get(cursor);
        return row ? [{ key: row.version, item: row.item }] : [];
      };
    };
    const keyed = (table: string, keyColumn: string, firstKey: string | number): Walker<WalkRow[]> => {
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

  /**
   * Synchronously, so one page reads one database state. Never while another caller's transaction is
   * open on the shared connection (its writes are uncommitted, perhaps rolled back later): then the page
   * waits for it, inside a transaction of its own. No write lock otherwise: a page is only a read.
   */
  page(scope: FeedScope, pos: SnapshotPosition, limit: number): Promise<SnapshotRows> {
    if (this.client.raw.inTransaction) return this.client.transaction(async () => walkPageSync(this.walkers, scope, pos, limit));
    try {
      return Promise.resolve(walkPageSync(this.walkers, scope, pos, limit));
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
