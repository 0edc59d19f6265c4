import type { PassFacts, PersonFacts } from '../../../shared/contracts/feed.js';
import type { SqlClient } from '../../db/sql-client.js';
import { flagOf, passForgetItem, passItemFor, passNeedsForget, policyItemFor, type FeedScope } from './station-scope.js';
import { FEED_LOCK, lockForCommitOrder } from '../../db/advisory-locks.js';

export type FeedEntity = 'pass' | 'person' | 'zone' | 'policy' | 'trustList';

export interface DeltaRows {
  /** feed items as JSON text, latest per key, in change order, as the asking station should see them */
  items: string[];
  cursor: number;
  hasMore: boolean;
}

/**
 * The server's change sequence (table `changes`). Writers call `append` inside the same
 * transaction as the state change it describes, so a change is visible to the feed exactly when
 * its state is.
 *
 * Numbers are handed out in commit order, so `WHERE seq > cursor` never skips a change: SQLite has one
 * writer; on PostgreSQL `append` first takes a transaction-scoped advisory lock (held until commit or
 * rollback), so no other instance draws a number until this transaction's number is visible. A
 * station that has seen N has therefore seen every change below N that will ever commit.
 *
 * Ordering rule the log relies on: a writer calls `append` BEFORE it writes the pass's or person's
 * new row (passes/repository.ts insert and update, health/repository.ts save and remove), so the row
 * read here is the state before the change. From it the log learns whether stations must forget a pass
 * (its route left them, or it is ACTIVE again) and whether a person leaves the flag list.
 */
export interface ChangeLog {
  /**
   * Returns the sequence number the writer stores as its row's `change_seq` (a snapshot sends a row
   * only when that is at or below its cursor; the deltas after the cursor carry the rest).
   * Must be called inside `client.transaction`.
   */
  append(entity: FeedEntity, key: string, itemJson: string, at: number): Promise<number>;
  /** the highest sequence number committed (0 when none) */
  head(): Promise<number>;
  /** the highest sequence number removed by compaction (0 when none) */
  compactedThrough(): Promise<number>;
  deltas(scope: FeedScope, since: number, limit: number): Promise<DeltaRows>;
  /** Remove changes made before `before`; returns how many were removed. */
  compact(before: number): Promise<number>;
}

interface PassBefore { routeCheckpoints: string; routeProvinces: string; status: string }
interface PersonBefore { citizenId: string; status: 'NONE' | 'F0' | 'F1'; statusAsOf: number; test: string | null; changeSeq: number }
interface ChangeRow { seq: number; entity: string; key: string; item: string; at: number }

/** The SQL every implementation shares (portable: see server/db/sql-client.ts). */
export const CHANGE_SQL = {
  insert: 'INSERT INTO changes (entity, key, item, at) VALUES (?, ?, ?, ?) RETURNING seq',
  passBefore: 'SELECT route_checkpoints AS "routeCheckpoints", route_provinces AS "routeProvinces", status FROM passes WHERE id = ?',
  personBefore: 'SELECT citizen_id AS "citizenId", status, status_as_of AS "statusAsOf", test, change_seq AS "changeSeq" FROM people WHERE citizen_id = ?',
  head: 'SELECT (SELECT max(seq) FROM changes) AS head, (SELECT compacted_through FROM feed_meta WHERE id = 1) AS compacted',
  compacted: 'SELECT compacted_through AS compacted FROM feed_meta WHERE id = 1',
  deltas: 'SELECT seq, entity, key, item, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?',
  lastBefore: 'SELECT max(seq) AS seq FROM changes WHERE at < ?',
  deleteThrough: 'DELETE FROM changes WHERE seq <= ?',
} as const;

const setCompactedSql = (greatest: 'max' | 'greatest') =>
  `INSERT INTO feed_meta (id, compacted_through) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET compacted_through = ${greatest}(feed_meta.compacted_through, excluded.compacted_through)`;

/** The delete every station receives, before the pass's new state, when some station must forget it (else null). */
export function passForgetFor(before: PassBefore | undefined, itemJson: string): string | null {
  const after = JSON.parse(itemJson) as PassFacts | { type: 'delete' };
  if (after.type !== 'pass' || !before) return null;
  const was = { routeCheckpoints: JSON.parse(before.routeCheckpoints) as number[], routeProvinces: JSON.parse(before.routeProvinces) as number[], status: before.status };
  return passNeedsForget(was, after) ? passForgetItem(after) : null;
}

/**
 * A person's change as stations see it: their new flag, the removal of their flag, or nothing (never
 * flagged, or a change that leaves the flag as it was, such as a flagged person's new declaration).
 * Nothing: no change appended, and the row keeps the sequence number of its last change that stations
 * saw, so a snapshot already under way still sends its flag.
 */
export function personChangeFor(row: PersonBefore | undefined, citizenId: string, itemJson: string): { item: string } | { unchangedSince: number } {
  const item = JSON.parse(itemJson) as PersonFacts | { type: 'delete' };
  const flag = item.type === 'person' ? flagOf(item) : null;
  const before = row ? flagOf({ ...row, test: row.test === null ? null : (JSON.parse(row.test) as PersonFacts['test']) }) : null;
  const unchanged = { unchangedSince: row?.changeSeq ?? 0 };
  if (flag) {
    const json = JSON.stringify(flag);
    return before && JSON.stringify(before) === json ? unchanged : { item: json };
  }
  return before ? { item: JSON.stringify({ type: 'delete', entity: 'flag', key: citizenId }) } : unchanged;
}

/** Rows after a cursor as one station should see them: the latest item per key, in change order. */
export function deltaRowsFor(scope: FeedScope, since: number, limit: number, rows: ChangeRow[]): DeltaRows {
  const hasMore = rows.length > limit;
  if (hasMore) rows.pop();
  // Latest item per key is enough: a station applying items in order ends in the same state.
  const lastIndex = new Map<string, number>();
  rows.forEach((r, i) => lastIndex.set(`${r.entity}\u0000${r.key}`, i));
  const items: string[] = [];
  rows.forEach((r, i) => {
    if (lastIndex.get(`${r.entity}\u0000${r.key}`) !== i) return;
    const item = r.entity === 'pass' ? passItemFor(scope, r.item, r.at) : r.entity === 'policy' ? policyItemFor(scope, r.key, r.item) : r.item;
    if (item !== null) items.push(item);
  });
  return { items, cursor: rows.length > 0 ? rows[rows.length - 1]!.seq : since, hasMore };
}

/** The change log on any SqlClient (SQLite or PostgreSQL). */
export class SqlChangeLog implements ChangeLog {
  constructor(protected readonly client: SqlClient) {}

  async append(entity: FeedEntity, key: string, itemJson: string, at: number): Promise<number> {
    if (!this.client.inTransaction()) throw new Error('ChangeLog.append must run inside the transaction of the change it describes');
    // Before anything is read or drawn: the state read below is then the latest committed, and this
    // transaction's number commits before any later one is drawn.
    if (this.client.dialect === 'postgres') await lockForCommitOrder(this.client, FEED_LOCK);
    if (entity === 'pass') {
      const forget = passForgetFor(await this.client.get<PassBefore>(CHANGE_SQL.passBefore, [Number(key)]), itemJson);
      if (forget !== null) await this.client.run(CHANGE_SQL.insert, ['pass', `${key}:forget`, forget, at]);
    }
    if (entity === 'person') {
      const change = personChangeFor(await this.client.get<PersonBefore>(CHANGE_SQL.personBefore, [key]), key, itemJson);
      if ('unchangedSince' in change) return change.unchangedSince;
      itemJson = change.item;
    }
    return (await this.client.get<{ seq: number }>(CHANGE_SQL.insert, [entity, key, itemJson, at]))!.seq;
  }

  async head(): Promise<number> {
    const r = await this.client.get<{ head: number | null; compacted: number | null }>(CHANGE_SQL.head);
    // Compaction may have removed the newest changes too; the number it removed through still counts.
    return Math.max(r?.head ?? 0, r?.compacted ?? 0);
  }

  async compactedThrough(): Promise<number> {
    return (await this.client.get<{ compacted: number }>(CHANGE_SQL.compacted))?.compacted ?? 0;
  }

  async deltas(scope: FeedScope, since: number, limit: number): Promise<DeltaRows> {
    return deltaRowsFor(scope, since, limit, await this.client.all<ChangeRow>(CHANGE_SQL.deltas, [since, limit + 1]));
  }

  compact(before: number): Promise<number> {
    return this.client.transaction(async () => {
      const through = (await this.client.get<{ seq: number | null }>(CHANGE_SQL.lastBefore, [before]))?.seq ?? null;
      if (through === null) return 0;
      const removed = (await this.client.run(CHANGE_SQL.deleteThrough, [through])).changes;
      await this.client.run(setCompactedSql(this.client.dialect === 'postgres' ? 'greatest' : 'max'), [through]);
      return removed;
    });
  }
}
