import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import { ms } from './columns.js';

/**
 * PostgreSQL twin of server/db/schema/feed.ts. The seq comes from an identity (a sequence): with
 * concurrent writers numbers can commit out of order, so the feed must serve only changes below the
 * oldest transaction still in flight (issue 13, item 3) before this table serves stations.
 */
export const changes = pgTable(
  'changes',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    entity: text('entity', { enum: ['pass', 'person', 'zone', 'policy', 'trustList'] }).notNull(),
    key: text('key').notNull(),
    item: text('item').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [index('changes_at_idx').on(t.at)],
);

export const feedMeta = pgTable('feed_meta', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  compactedThrough: bigint('compacted_through', { mode: 'number' }).notNull(),
});
