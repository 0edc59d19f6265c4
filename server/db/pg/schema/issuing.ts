import { bigint, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { StoredCrewMember } from '../../schema/issuing.js';
import { ms, seqNo } from './columns.js';

/** PostgreSQL twins of server/db/schema/issuing.ts; `item` stays text: the feed streams it as stored. */
export const passes = pgTable(
  'passes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    version: bigint('version', { mode: 'number' }).notNull(),
    status: text('status', { enum: ['ACTIVE', 'SUSPENDED', 'REVOKED'] }).notNull(),
    statusReason: text('status_reason'),
    plate: text('plate').notNull(),
    company: text('company'),
    goods: bigint('goods', { mode: 'number' }).notNull(),
    crew: jsonb('crew').$type<StoredCrewMember[]>().notNull(),
    originZone: text('origin_zone').notNull(),
    destinationZone: text('destination_zone').notNull(),
    routeCheckpoints: jsonb('route_checkpoints').$type<number[]>().notNull(),
    routeProvinces: jsonb('route_provinces').$type<number[]>().notNull(),
    permittedStops: text('permitted_stops'),
    validFrom: ms('valid_from').notNull(),
    validTo: ms('valid_to'),
    direction: text('direction', { enum: ['both', 'entry', 'exit'] }).notNull(),
    maxStayHours: bigint('max_stay_hours', { mode: 'number' }).notNull(),
    issuingProvince: bigint('issuing_province', { mode: 'number' }).notNull(),
    issuedAt: ms('issued_at').notNull(),
    code: text('code').notNull(),
    createdAt: ms('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    updatedAt: ms('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
    item: text('item').notNull(),
    changeSeq: seqNo('change_seq').notNull(),
  },
  (t) => [index('passes_plate_idx').on(t.plate), index('passes_province_status_idx').on(t.issuingProvince, t.status)],
);

export const passCrew = pgTable(
  'pass_crew',
  {
    passId: bigint('pass_id', { mode: 'number' }).notNull().references(() => passes.id, { onDelete: 'cascade' }),
    citizenId: text('citizen_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.passId, t.citizenId] }), index('pass_crew_citizen_idx').on(t.citizenId)],
);

export const passEvents = pgTable(
  'pass_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    passId: bigint('pass_id', { mode: 'number' }).notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    action: text('action', { enum: ['create', 'amend', 'extend', 'suspend', 'reinstate', 'revoke'] }).notNull(),
    reason: text('reason'),
    at: ms('at').notNull(),
    by: text('by').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [index('pass_events_pass_idx').on(t.passId)],
);

export const zones = pgTable('zones', {
  zone: text('zone').primaryKey(),
  level: bigint('level', { mode: 'number' }).notNull(),
  updatedAt: ms('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  item: text('item').notNull(),
  changeSeq: seqNo('change_seq').notNull(),
});

export const policies = pgTable('policies', {
  version: bigint('version', { mode: 'number' }).primaryKey(),
  province: bigint('province', { mode: 'number' }),
  document: text('document').notNull(),
  publishedAt: ms('published_at').notNull(),
  publishedBy: text('published_by').notNull(),
  item: text('item').notNull(),
  changeSeq: seqNo('change_seq').notNull(),
});

export const issuerKeys = pgTable('issuer_keys', {
  kid: text('kid').primaryKey(),
  role: text('role', { enum: ['transport', 'health', 'policy'] }).notNull(),
  province: bigint('province', { mode: 'number' }),
  publicKey: text('public_key').notNull(),
  validFrom: ms('valid_from').notNull(),
  validTo: ms('valid_to'),
  createdAt: ms('created_at').notNull(),
});

export const trustLists = pgTable('trust_lists', {
  version: bigint('version', { mode: 'number' }).primaryKey(),
  document: text('document').notNull(),
  issuedAt: ms('issued_at').notNull(),
  item: text('item').notNull(),
  changeSeq: seqNo('change_seq').notNull(),
});
