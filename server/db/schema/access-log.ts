import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Every read of personal data by a person: who, what, when. Append-only; only admins read it. */
export const accessLog = sqliteTable(
  'access_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    userId: integer('user_id'),
    username: text('username').notNull(),
    role: text('role').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id'),
    method: text('method').notNull(),
    url: text('url').notNull(),
    ip: text('ip'),
  },
  (t) => [index('access_log_at_idx').on(t.at), index('access_log_user_idx').on(t.userId, t.at)],
);
