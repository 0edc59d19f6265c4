import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, type SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * The station's SQLite schema. One schema and one migration history for the station's two files, so
 * that the thread deciding scans never waits on a lock the link holds (see store.ts):
 * - the journal file (`station.db`), written only by the deciding thread: journal, presence, open crossings;
 * - the cache file (`station-cache.db`), written only by the link: passes, health flags, pass status, zones (and their
 *   `_next` twins), documents, sync state, the upload watermark.
 * Each file carries every table; the other file's tables stay empty.
 *
 * Cache tables (passes, health_flags, pass_status, zones) each have a `_next` twin of the same shape: a snapshot is built
 * there and swapped in by renaming, inside one transaction, so a scan never sees a half-applied cache.
 * Keep each pair identical (the swap relies on it).
 */
function passColumns() {
  return {
    passId: integer('pass_id').notNull(),
    version: integer('version').notNull(),
    status: text('status', { enum: ['ACTIVE', 'SUSPENDED', 'REVOKED'] }).notNull(),
    statusReason: text('status_reason'),
    plate: text('plate').notNull(),
    company: text('company'),
    goods: integer('goods').notNull(),
    /** CrewMember[] as JSON */
    crew: text('crew').notNull(),
    validFrom: integer('valid_from').notNull(),
    validTo: integer('valid_to'),
    /** number[] as JSON */
    routeCheckpoints: text('route_checkpoints').notNull(),
    /** number[] as JSON */
    routeProvinces: text('route_provinces').notNull(),
    direction: text('direction', { enum: ['both', 'entry', 'exit'] }).notNull(),
    issuingProvince: integer('issuing_province').notNull(),
    originZone: text('origin_zone').notNull(),
  };
}

/** One line of the national health-flag list (see HealthFlagSchema): not a person's record. */
function healthFlagColumns() {
  return {
    citizenId: text('citizen_id').primaryKey(),
    status: text('status', { enum: ['NONE', 'F0', 'F1'] }).notNull(),
    statusAsOf: integer('status_as_of').notNull(),
    /** the positive test's type and sample time, or both null */
    testType: text('test_type', { enum: ['RT_PCR', 'RAPID_ANTIGEN'] }),
    testSampledAt: integer('test_sampled_at'),
  };
}

/** One line of the national list of passes that are not ACTIVE (see PassStatusItemSchema). */
function passStatusColumns() {
  return {
    issuingProvince: integer('issuing_province').notNull(),
    passId: integer('pass_id').notNull(),
    status: text('status', { enum: ['SUSPENDED', 'REVOKED'] }).notNull(),
    since: integer('since').notNull(),
  };
}

function zoneColumns() {
  return { zone: text('zone').primaryKey(), level: integer('level').notNull() };
}

/**
 * A plate without its '-' and '.': the officer's manual lookup types it either way. Keep in step with
 * PLATE_KEY_SQL. The snapshot swap renames tables, so each index name may end up on the twin: harmless.
 */
const plateKey = (plate: SQLiteColumn) => sql`replace(replace(${plate}, '-', ''), '.', '')`;
export const PLATE_KEY_SQL = "replace(replace(plate, '-', ''), '.', '')";

// A pass is (issuing province, pass id): ids are per issuing server, so two provinces' pass 17 differ.
export const passes = sqliteTable('passes', passColumns(), (t) => [
  primaryKey({ columns: [t.issuingProvince, t.passId] }),
  index('passes_plate_key').on(plateKey(t.plate)),
]);
export const passesNext = sqliteTable('passes_next', passColumns(), (t) => [
  primaryKey({ columns: [t.issuingProvince, t.passId] }),
  index('passes_next_plate_key').on(plateKey(t.plate)),
]);
// Both lists are national and the largest tables a station holds: WITHOUT ROWID in the migration
// (0005), so the key is stored once, not in a rowid table and again in its key index.
export const healthFlags = sqliteTable('health_flags', healthFlagColumns());
export const healthFlagsNext = sqliteTable('health_flags_next', healthFlagColumns());
export const passStatus = sqliteTable('pass_status', passStatusColumns(), (t) => [primaryKey({ columns: [t.issuingProvince, t.passId] })]);
export const passStatusNext = sqliteTable('pass_status_next', passStatusColumns(), (t) => [primaryKey({ columns: [t.issuingProvince, t.passId] })]);
export const zones = sqliteTable('zones', zoneColumns());
export const zonesNext = sqliteTable('zones_next', zoneColumns());

/** The signed trust list and policy, kept exactly as they travelled (verified on use). */
export const documents = sqliteTable('documents', {
  name: text('name', { enum: ['trustList', 'policy'] }).primaryKey(),
  /** SignedDocument as JSON */
  document: text('document').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** One row (id = 1): where the feed stands. */
export const syncState = sqliteTable('sync_state', {
  id: integer('id').primaryKey(),
  cursor: integer('cursor'),
  syncedAt: integer('synced_at'),
});

/** Who is inside through this checkpoint: `pass:<province>-<id>` (e.g. `pass:79-17`) or `person:<citizenId>`. */
export const presence = sqliteTable('presence', {
  key: text('key').primaryKey(),
  since: integer('since').notNull(),
  crossingId: text('crossing_id'),
});

/** The crossing open on each lane, so a restart resumes it. */
export const openCrossings = sqliteTable('open_crossings', {
  lane: text('lane').primaryKey(),
  /** Crossing as JSON */
  state: text('state').notNull(),
  closesAt: integer('closes_at').notNull(),
});

/** Every scan, crossing and override, chained by hash; seq is this station's monotonic sequence. */
export const journal = sqliteTable('journal', {
  seq: integer('seq').primaryKey(),
  stationId: text('station_id').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  at: integer('at').notNull(),
  kind: text('kind', { enum: ['scan', 'crossing', 'override'] }).notNull(),
  lane: text('lane').notNull(),
  direction: text('direction', { enum: ['entry', 'exit'] }).notNull(),
  scannerId: text('scanner_id'),
  crossingId: text('crossing_id'),
  verdict: text('verdict', { enum: ['ALLOW', 'DENY', 'REVIEW'] }).notNull(),
  /** ReasonCode[] as JSON */
  reasons: text('reasons').notNull(),
  codeKind: text('code_kind', { enum: ['pass', 'health', 'none'] }).notNull(),
  passId: integer('pass_id'),
  passProvince: integer('pass_province'),
  passVersion: integer('pass_version'),
  plate: text('plate'),
  citizenId: text('citizen_id'),
  payloadHash: text('payload_hash'),
  officer: text('officer'),
  note: text('note'),
  policyVersion: integer('policy_version').notNull(),
  /**
   * Station time when the personal fields were cleared (retention), or null. Not part of the record:
   * a purged row's hash no longer matches its content, and the chain check knows it (journal.ts).
   */
  purgedAt: integer('purged_at'),
}, (t) => [
  // The retention sweep walks only rows not yet purged, oldest first, instead of the whole journal.
  index('journal_unpurged').on(t.seq).where(sql`${t.purgedAt} IS NULL`),
]);

/**
 * One row (id = 1): the highest seq the server acknowledged holding, with every record before it. The
 * outbox is the journal above this watermark: an ack is one row written by the link in its own file,
 * never a delete in the journal's.
 */
export const uploadState = sqliteTable('upload_state', {
  id: integer('id').primaryKey(),
  ackedSeq: integer('acked_seq').notNull(),
  ackedAt: integer('acked_at'),
});
