import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Issuing: passes with their crew, zone levels, policy versions, issuer keys and trust lists.
 * Every row that stations cache keeps `item` (the exact feed item JSON, so the feed streams stored
 * text without re-serialising) and `changeSeq` (the change that produced it, so a snapshot can skip
 * rows changed after its cursor).
 */
export interface StoredCrewMember {
  citizenId: string;
  name: string;
  phone: string | null;
  role: 'driver' | 'assistant';
}

export const passes = sqliteTable(
  'passes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    version: integer('version').notNull(),
    status: text('status', { enum: ['ACTIVE', 'SUSPENDED', 'REVOKED'] }).notNull(),
    statusReason: text('status_reason'),
    plate: text('plate').notNull(),
    company: text('company'),
    goods: integer('goods').notNull(),
    crew: text('crew', { mode: 'json' }).$type<StoredCrewMember[]>().notNull(),
    originZone: text('origin_zone').notNull(),
    destinationZone: text('destination_zone').notNull(),
    routeCheckpoints: text('route_checkpoints', { mode: 'json' }).$type<number[]>().notNull(),
    routeProvinces: text('route_provinces', { mode: 'json' }).$type<number[]>().notNull(),
    permittedStops: text('permitted_stops'),
    validFrom: integer('valid_from').notNull(),
    validTo: integer('valid_to'),
    direction: text('direction', { enum: ['both', 'entry', 'exit'] }).notNull(),
    maxStayHours: integer('max_stay_hours').notNull(),
    issuingProvince: integer('issuing_province').notNull(),
    /** when the current version's code was signed */
    issuedAt: integer('issued_at').notNull(),
    code: text('code').notNull(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    updatedAt: integer('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
    item: text('item').notNull(),
    changeSeq: integer('change_seq').notNull(),
  },
  (t) => [index('passes_plate_idx').on(t.plate), index('passes_province_status_idx').on(t.issuingProvince, t.status)],
);

/** Crew membership, for searching passes by citizen id. */
export const passCrew = sqliteTable(
  'pass_crew',
  {
    passId: integer('pass_id').notNull().references(() => passes.id, { onDelete: 'cascade' }),
    citizenId: text('citizen_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.passId, t.citizenId] }), index('pass_crew_citizen_idx').on(t.citizenId)],
);

/** Who did what to a pass and why: the history behind its current row. */
export const passEvents = sqliteTable(
  'pass_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    passId: integer('pass_id').notNull(),
    version: integer('version').notNull(),
    action: text('action', { enum: ['create', 'amend', 'extend', 'suspend', 'reinstate', 'revoke'] }).notNull(),
    reason: text('reason'),
    at: integer('at').notNull(),
    by: text('by').notNull(),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('pass_events_pass_idx').on(t.passId)],
);

export const zones = sqliteTable('zones', {
  zone: text('zone').primaryKey(),
  level: integer('level').notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  item: text('item').notNull(),
  changeSeq: integer('change_seq').notNull(),
});

export const policies = sqliteTable('policies', {
  /** server-wide, so a station's policy versions only ever grow; a province's versions are its rows' */
  version: integer('version').primaryKey(),
  /** the province whose policy this is; null: the deployment's own single policy (first start, rows from before provinces) */
  province: integer('province'),
  /** the signed document as JSON text */
  document: text('document').notNull(),
  publishedAt: integer('published_at').notNull(),
  publishedBy: text('published_by').notNull(),
  item: text('item').notNull(),
  changeSeq: integer('change_seq').notNull(),
});

/** Public halves of the issuer keys; the private halves live only in the key files. */
export const issuerKeys = sqliteTable('issuer_keys', {
  kid: text('kid').primaryKey(),
  role: text('role', { enum: ['transport', 'health', 'policy'] }).notNull(),
  province: integer('province'),
  publicKey: text('public_key').notNull(),
  validFrom: integer('valid_from').notNull(),
  validTo: integer('valid_to'),
  createdAt: integer('created_at').notNull(),
});

export const trustLists = sqliteTable('trust_lists', {
  version: integer('version').primaryKey(),
  document: text('document').notNull(),
  issuedAt: integer('issued_at').notNull(),
  item: text('item').notNull(),
  changeSeq: integer('change_seq').notNull(),
});
