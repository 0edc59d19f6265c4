import type { SqlClient } from '../../db/sql-client.js';
import { walkPage, type SnapshotPosition, type SnapshotReader, type SnapshotRows, type Walker, type WalkRow } from './snapshot.js';
import type { FeedScope } from './station-scope.js';

/** The people table's partial index `people_flagged` (server/db/pg/schema/health.ts) has this condition. */
const FLAGGED = "(status <> 'NONE' OR test->>'result' = 'POSITIVE')";

/**
 * The snapshot walk on PostgreSQL. Statement by statement (READ COMMITTED) is enough: every row at or
 * below the cursor has committed (numbers are drawn in commit order), and a row changed during the
 * walk has a number above the cursor, so it is skipped here and its delta carries it.
 */
export class PgSnapshotReader implements SnapshotReader {
  private readonly walkers: Walker[];

  constructor(client: SqlClient) {
    const rows = (sql: string) => (params: (string | number)[]) => client.all<WalkRow>(sql, params);
    const latestDoc = (table: string): Walker => {
      const q = rows(`SELECT version AS key, item FROM ${table} WHERE change_seq <= ? ORDER BY version DESC LIMIT 1`);
      return (_scope, cursor, after) => (after !== null ? [] : q([cursor]));
    };
    // The station's province's own latest policy, else the deployment's (null province); never another province's.
    const policyHere = rows(
      `SELECT version AS key, item FROM policies WHERE change_seq <= ? AND (province = ? OR province IS NULL)
        ORDER BY province IS NULL, version DESC LIMIT 1`,
    );
    const zones = rows('SELECT zone AS key, item FROM zones WHERE zone > ? AND change_seq <= ? ORDER BY zone LIMIT ?');
    // Routes are jsonb arrays of integers: containment of a one-element array finds a stop.
    const passesHere = rows(
      `SELECT id AS key, item FROM passes WHERE id > ? AND change_seq <= ?
        AND (route_checkpoints @> ?::jsonb OR route_provinces @> ?::jsonb) ORDER BY id LIMIT ?`,
    );
    const statusList = rows(
      `SELECT id AS key, json_build_object('type', 'passStatus', 'issuingProvince', issuing_province, 'passId', id, 'status', status,
        'since', updated_at)::text AS item FROM passes WHERE id > ? AND change_seq <= ? AND status <> 'ACTIVE' ORDER BY id LIMIT ?`,
    );
    const flagList = rows(
      `SELECT citizen_id AS key, json_build_object('type', 'flag', 'citizenId', citizen_id, 'status', status, 'statusAsOf', status_as_of,
        'test', CASE WHEN test->>'result' = 'POSITIVE'
          THEN json_build_object('type', test->'type', 'result', 'POSITIVE', 'sampledAt', test->'sampledAt') END)::text AS item
        FROM people WHERE citizen_id > ? AND change_seq <= ? AND ${FLAGGED} ORDER BY citizen_id LIMIT ?`,
    );
    this.walkers = [
      latestDoc('trust_lists'),
      (scope, cursor, after) => (after !== null ? [] : policyHere([cursor, scope.province])),
      (_scope, cursor, after, limit) => zones([String(after ?? ''), cursor, limit]),
      (scope, cursor, after, limit) => passesHere([Number(after ?? 0), cursor, `[${scope.checkpointId}]`, `[${scope.province}]`, limit]),
      (_scope, cursor, after, limit) => statusList([Number(after ?? 0), cursor, limit]),
      (_scope, cursor, after, limit) => flagList([String(after ?? ''), cursor, limit]),
    ];
  }

  page(scope: FeedScope, pos: SnapshotPosition, limit: number): Promise<SnapshotRows> {
    return walkPage(this.walkers, scope, pos, limit);
  }
}
