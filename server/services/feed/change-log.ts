import type Database from 'better-sqlite3';
import type { PassFacts, PersonFacts } from '../../../shared/contracts/feed.js';
import { flagOf, passForgetItem, passItemFor, passNeedsForget, policyItemFor, type FeedScope } from './station-scope.js';

/**
 * A person on the national flag list, in SQL: F0/F1 or a positive latest test. The people table's
 * partial index `people_flagged` has the same condition (keep them in step: the planner uses it only then).
 */
export const FLAGGED_SQL = "(status <> 'NONE' OR json_extract(test, '$.result') = 'POSITIVE')";

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
 * its state is. Items are stored as the JSON text that stations receive.
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
   */
  append(entity: FeedEntity, key: string, itemJson: string, at: number): number;
  /** the highest sequence number ever assigned (0 when none) */
  head(): number;
  /** the highest sequence number removed by compaction (0 when none) */
  compactedThrough(): number;
  deltas(scope: FeedScope, since: number, limit: number): DeltaRows;
  /** Remove changes made before `before`; returns how many were removed. */
  compact(before: number): number;
}

export class SqliteChangeLog implements ChangeLog {
  private readonly insert: Database.Statement<[string, string, string, number]>;
  private readonly headStmt: Database.Statement<[], { seq: number }>;
  private readonly compactedStmt: Database.Statement<[], { compacted_through: number }>;
  private readonly deltaStmt: Database.Statement<[number, number], { seq: number; entity: string; key: string; item: string; at: number }>;
  private readonly passBefore: Database.Statement<[number], { routeCheckpoints: string; routeProvinces: string; status: string }>;
  private readonly personBefore: Database.Statement<[string], { citizenId: string; status: 'NONE' | 'F0' | 'F1'; statusAsOf: number; test: string | null; changeSeq: number }>;
  private readonly lastBefore: Database.Statement<[number], { seq: number | null }>;
  private readonly deleteThrough: Database.Statement<[number]>;
  private readonly setCompacted: Database.Statement<[number]>;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO changes (entity, key, item, at) VALUES (?, ?, ?, ?)');
    this.headStmt = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'changes'");
    this.compactedStmt = db.prepare('SELECT compacted_through FROM feed_meta WHERE id = 1');
    this.deltaStmt = db.prepare('SELECT seq, entity, key, item, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?');
    this.passBefore = db.prepare('SELECT route_checkpoints AS routeCheckpoints, route_provinces AS routeProvinces, status FROM passes WHERE id = ?');
    this.personBefore = db.prepare('SELECT citizen_id AS citizenId, status, status_as_of AS statusAsOf, test, change_seq AS changeSeq FROM people WHERE citizen_id = ?');
    this.lastBefore = db.prepare('SELECT max(seq) AS seq FROM changes WHERE at < ?');
    this.deleteThrough = db.prepare('DELETE FROM changes WHERE seq <= ?');
    this.setCompacted = db.prepare(
      'INSERT INTO feed_meta (id, compacted_through) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET compacted_through = max(compacted_through, excluded.compacted_through)',
    );
  }

  append(entity: FeedEntity, key: string, itemJson: string, at: number): number {
    if (entity === 'pass') this.forgetPassIfNeeded(key, itemJson, at);
    if (entity === 'person') {
      const change = this.personChange(key, itemJson);
      // Nothing a station holds changes: no change appended, and the row keeps the sequence number of
      // its last change that stations saw, so a snapshot already under way still sends its flag.
      if ('unchangedSince' in change) return change.unchangedSince;
      itemJson = change.item;
    }
    return Number(this.insert.run(entity, key, itemJson, at).lastInsertRowid);
  }

  /** A delete every station receives, before the pass's new state, when some station must forget it. */
  private forgetPassIfNeeded(key: string, itemJson: string, at: number): void {
    const after = JSON.parse(itemJson) as PassFacts | { type: 'delete' };
    if (after.type !== 'pass') return;
    const row = this.passBefore.get(Number(key));
    if (!row) return;
    const before = { routeCheckpoints: JSON.parse(row.routeCheckpoints) as number[], routeProvinces: JSON.parse(row.routeProvinces) as number[], status: row.status };
    if (passNeedsForget(before, after)) this.insert.run('pass', `${key}:forget`, passForgetItem(after), at);
  }

  /**
   * A person's change as stations see it: their new flag, the removal of their flag, or nothing (never
   * flagged, or a change that leaves the flag as it was, such as a flagged person's new declaration).
   */
  private personChange(citizenId: string, itemJson: string): { item: string } | { unchangedSince: number } {
    const item = JSON.parse(itemJson) as PersonFacts | { type: 'delete' };
    const flag = item.type === 'person' ? flagOf(item) : null;
    const row = this.personBefore.get(citizenId);
    const before = row ? flagOf({ ...row, test: row.test === null ? null : (JSON.parse(row.test) as PersonFacts['test']) }) : null;
    const unchanged = { unchangedSince: row?.changeSeq ?? 0 };
    if (flag) {
      const json = JSON.stringify(flag);
      return before && JSON.stringify(before) === json ? unchanged : { item: json };
    }
    return before ? { item: JSON.stringify({ type: 'delete', entity: 'flag', key: citizenId }) } : unchanged;
  }

  head(): number {
    return this.headStmt.get()?.seq ?? 0;
  }

  compactedThrough(): number {
    return this.compactedStmt.get()?.compacted_through ?? 0;
  }

  deltas(scope: FeedScope, since: number, limit: number): DeltaRows {
    const rows = this.deltaStmt.all(since, limit + 1);
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

  compact(before: number): number {
    return this.db.transaction(() => {
      const through = this.lastBefore.get(before)?.seq ?? null;
      if (through === null) return 0;
      const removed = this.deleteThrough.run(through).changes;
      this.setCompacted.run(through);
      return removed;
    })();
  }
}
