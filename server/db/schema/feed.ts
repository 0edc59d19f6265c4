import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The one monotonic change sequence the station feed is built from. AUTOINCREMENT so a sequence
 * number is never reused, even after compaction deletes the newest rows' predecessors.
 */
export const changes = sqliteTable(
  'changes',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    entity: text('entity', { enum: ['pass', 'person', 'zone', 'policy', 'trustList'] }).notNull(),
    key: text('key').notNull(),
    /** the FeedItem as JSON text, exactly as sent to stations */
    item: text('item').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('changes_at_idx').on(t.at)],
);

/** Single row (id = 1): the highest change seq removed by compaction. */
export const feedMeta = sqliteTable('feed_meta', {
  id: integer('id').primaryKey(),
  compactedThrough: integer('compacted_through').notNull(),
});
