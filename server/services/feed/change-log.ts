import type Database from 'better-sqlite3';

export type FeedEntity = 'pass' | 'person' | 'zone' | 'policy' | 'trustList';

export interface DeltaRows {
  /** feed items as JSON text, latest per key, in change order */
  items: string[];
  cursor: number;
  hasMore: boolean;
}

/**
 * The server's change sequence (table `changes`). Writers call `append` inside the same
 * transaction as the state change it describes, so a change is visible to the feed exactly when
 * its state is. Items are stored as the JSON text that stations receive.
 */
export interface ChangeLog {
  append(entity: FeedEntity, key: string, itemJson: string, at: number): number;
  /** the highest sequence number ever assigned (0 when none) */
  head(): number;
  /** the highest sequence number removed by compaction (0 when none) */
  compactedThrough(): number;
  deltas(since: number, limit: number): DeltaRows;
  /** Remove changes made before `before`; returns how many were removed. */
  compact(before: number): number;
}

export class SqliteChangeLog implements ChangeLog {
  private readonly insert: Database.Statement<[string, string, string, number]>;
  private readonly headStmt: Database.Statement<[], { seq: number }>;
  private readonly compactedStmt: Database.Statement<[], { compacted_through: number }>;
  private readonly deltaStmt: Database.Statement<[number, number], { seq: number; entity: string; key: string; item: string }>;
  private readonly lastBefore: Database.Statement<[number], { seq: number | null }>;
  private readonly deleteThrough: Database.Statement<[number]>;
  private readonly setCompacted: Database.Statement<[number]>;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO changes (entity, key, item, at) VALUES (?, ?, ?, ?)');
    this.headStmt = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'changes'");
    this.compactedStmt = db.prepare('SELECT compacted_through FROM feed_meta WHERE id = 1');
    this.deltaStmt = db.prepare('SELECT seq, entity, key, item FROM changes WHERE seq > ? ORDER BY seq LIMIT ?');
    this.lastBefore = db.prepare('SELECT max(seq) AS seq FROM changes WHERE at < ?');
    this.deleteThrough = db.prepare('DELETE FROM changes WHERE seq <= ?');
    this.setCompacted = db.prepare(
      'INSERT INTO feed_meta (id, compacted_through) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET compacted_through = max(compacted_through, excluded.compacted_through)',
    );
  }

  append(entity: FeedEntity, key: string, itemJson: string, at: number): number {
    return Number(this.insert.run(entity, key, itemJson, at).lastInsertRowid);
  }

  head(): number {
    return this.headStmt.get()?.seq ?? 0;
  }

  compactedThrough(): number {
    return this.compactedStmt.get()?.compacted_through ?? 0;
  }

  deltas(since: number, limit: number): DeltaRows {
    const rows = this.deltaStmt.all(since, limit + 1);
    const hasMore = rows.length > limit;
    if (hasMore) rows.pop();
    // Latest item per key is enough: a station applying items in order ends in the same state.
    const lastIndex = new Map<string, number>();
    rows.forEach((r, i) => lastIndex.set(`${r.entity}\u0000${r.key}`, i));
    const items: string[] = [];
    rows.forEach((r, i) => {
      if (lastIndex.get(`${r.entity}\u0000${r.key}`) === i) items.push(r.item);
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
