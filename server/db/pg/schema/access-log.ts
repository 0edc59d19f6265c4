import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import { ms } from './columns.js';

export const accessLog = pgTable(
  'access_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    at: ms('at').notNull(),
    userId: bigint('user_id', { mode: 'number' }),
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
