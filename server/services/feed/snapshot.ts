import type { FeedScope } from './station-scope.js';

/**
 * Snapshot pages walk the current state by key (keyset pagination, never OFFSET), entity after
 * entity: trust list first (stations verify the policy with it), then the station's province's policy, zones, the passes that
 * may cross the asking station, the national list of passes not ACTIVE, the national flag list (see
 * station-scope.ts: never the population).
 * Rows whose last change is after the snapshot's cursor are skipped; the deltas that follow the
 * snapshot deliver them, so snapshot + deltas since its cursor is exactly the current state. The
 * versioned documents (trust list, policy) are read as they were at the cursor.
 * Change numbers are handed out in commit order (change-log.ts), so every row at or below a cursor
 * taken from the log's head has committed and is visible to the walk.
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

/** One dialect's walk of the current state (sqlite-snapshot.ts, pg-snapshot.ts). */
export interface SnapshotReader {
  /** Up to `limit` items from `pos`, read in one transaction. */
  page(scope: FeedScope, pos: SnapshotPosition, limit: number): Promise<SnapshotRows>;
}

export interface WalkRow { key: string | number; item: string }
/** One entity's rows after `after` at the cursor, by key, up to `limit`. */
export type Walker<R = WalkRow[] | Promise<WalkRow[]>> = (scope: FeedScope, cursor: number, after: string | number | null, limit: number) => R;

export const SNAPSHOT_ENTITIES = ['trustList', 'policy', 'zone', 'pass', 'passStatus', 'flag'] as const;

interface Step { entity: number; after: string | number | null; want: number }

/** The page's walk, one entity's read at a time: yields what to read, is given the rows. */
function* walk(pos: SnapshotPosition, limit: number, entities: number): Generator<Step, SnapshotRows, WalkRow[]> {
  const items: string[] = [];
  let { entity, after } = pos;
  while (entity < entities) {
    const want = limit - items.length;
    if (want === 0) return { items, next: { cursor: pos.cursor, entity, after } };
    const rows = yield { entity, after, want };
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

/** Up to `limit` items from `pos`, walking `walkers` (one per SNAPSHOT_ENTITIES entry) in order. */
export async function walkPage(walkers: readonly Walker[], scope: FeedScope, pos: SnapshotPosition, limit: number): Promise<SnapshotRows> {
  const steps = walk(pos, limit, walkers.length);
  let step = steps.next();
  while (!step.done) step = steps.next(await walkers[step.value.entity]!(scope, pos.cursor, step.value.after, step.value.want));
  return step.value;
}

/** The same walk with synchronous readers, without yielding to the event loop between them. */
export function walkPageSync(walkers: readonly Walker<WalkRow[]>[], scope: FeedScope, pos: SnapshotPosition, limit: number): SnapshotRows {
  const steps = walk(pos, limit, walkers.length);
  let step = steps.next();
  while (!step.done) step = steps.next(walkers[step.value.entity]!(scope, pos.cursor, step.value.after, step.value.want));
  return step.value;
}
