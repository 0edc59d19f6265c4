import type Database from 'better-sqlite3';
import { and, eq, getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { FeedItemSchema, type FeedItem, type HealthFlag, type PassFacts, type PassStatusItem } from '../../shared/contracts/feed.js';
import { parsePassRef, type PassIdentity } from '../../shared/codes/pass-ref.js';
import type { TrustDocument } from '../../shared/trust/authority.js';
import type { SignedDocument } from '../../shared/trust/signed-document.js';
import { StoreError } from './errors.js';
import { flagToRow, passToRow, personToFlag, rowToFlag, rowToPass } from './rows.js';
import { documents, healthFlags, healthFlagsNext, PLATE_KEY_SQL, passes, passesNext, passStatus, passStatusNext, syncState, zones, zonesNext } from './schema.js';

type PassRow = typeof passes.$inferSelect;
type FlagRow = typeof healthFlags.$inferSelect;
type PassStatusRow = typeof passStatus.$inferSelect;
type ZoneRow = typeof zones.$inferSelect;

export type Db = BetterSQLite3Database<Record<string, never>>;
export type DocumentName = 'trustList' | 'policy';
export type StoredDocument<N extends DocumentName> = N extends 'trustList' ? TrustDocument : SignedDocument;

export interface ApplyOptions {
  /** the feed cursor these items bring the cache to */
  cursor: number;
  /** when the cache was last in step with the server (ms since epoch) */
  syncedAt: number;
  /** the items are a complete snapshot: replace the cached passes, lists and zones with them */
  replaceAll?: boolean;
  /** check every item against the wire schema first (default true; the sync client may have done it) */
  validate?: boolean;
}

export interface SyncState {
  cursor: number | null;
  syncedAt: number | null;
}

const checkItem = TypeCompiler.Compile(FeedItemSchema);
// Per-type checkers, so an error names the field inside the item, not just "expected union value".
const checkByType = new Map(FeedItemSchema.anyOf.map((schema) => [schema.properties.type.const as string, TypeCompiler.Compile(schema)]));

function validateItems(items: readonly FeedItem[], offset = 0): void {
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (checkItem.Check(item)) continue;
    const type = typeof item === 'object' && item !== null ? (item as { type?: unknown }).type : undefined;
    const checker = typeof type === 'string' ? checkByType.get(type) : undefined;
    const first = checker ? checker.Errors(item).First() : undefined;
    const where = checker ? `${first?.path || '/'}: ${first?.message ?? ''}` : `/type: unknown item type ${JSON.stringify(type)}`;
    throw new StoreError('INVALID_FEED_ITEM', `feed item ${offset + i} is invalid at ${where}`);
  }
}

/**
 * An upsert of every column, from a row object. Plain better-sqlite3 statements here: snapshots write
 * millions of rows and drizzle's per-call mapping would cost more than SQLite itself. Parameters are
 * bound by position (cheaper than by name at this volume). The SQL is derived from the drizzle table,
 * so it follows the schema.
 */
function upsert<Row extends object>(client: Database.Database, table: SQLiteTable, key: readonly string[]): (row: Row) => void {
  const cols = Object.entries(getTableColumns(table) as Record<string, { name: string }>);
  const keyCols = key.map((k) => `"${cols.find(([c]) => c === k)![1].name}"`).join(', ');
  const names = cols.map(([, c]) => `"${c.name}"`).join(', ');
  const params = cols.map(() => '?').join(', ');
  const set = cols.filter(([k]) => !key.includes(k)).map(([, c]) => `"${c.name}" = excluded."${c.name}"`).join(', ');
  const stmt = client.prepare(`INSERT INTO "${getTableName(table)}" (${names}) VALUES (${params}) ON CONFLICT(${keyCols}) DO UPDATE SET ${set}`);
  const keys = cols.map(([k]) => k as keyof Row);
  const values: unknown[] = new Array(keys.length);
  return (row) => {
    for (let i = 0; i < keys.length; i++) values[i] = row[keys[i]!];
    stmt.run(values);
  };
}

/** The cache tables that have a `_next` twin for snapshots. */
export const CACHE_GENERATIONS = ['passes', 'health_flags', 'pass_status', 'zones'] as const;

/** Prepared writers for one generation of the cache tables (live or `_next`). */
function cacheWriters(client: Database.Database, gen: '' | '_next') {
  return {
    pass: upsert<PassRow>(client, gen ? passesNext : passes, ['issuingProvince', 'passId']),
    flag: upsert<FlagRow>(client, gen ? healthFlagsNext : healthFlags, ['citizenId']),
    passStatus: upsert<PassStatusRow>(client, gen ? passStatusNext : passStatus, ['issuingProvince', 'passId']),
    zone: upsert<ZoneRow>(client, gen ? zonesNext : zones, ['zone']),
    deletePass: client.prepare(`DELETE FROM passes${gen} WHERE issuing_province = ? AND pass_id = ?`),
    deletePassStatus: client.prepare(`DELETE FROM pass_status${gen} WHERE issuing_province = ? AND pass_id = ?`),
    deleteFlag: client.prepare(`DELETE FROM health_flags${gen} WHERE citizen_id = ?`),
    deleteZone: client.prepare(`DELETE FROM zones${gen} WHERE zone = ?`),
  };
}

/** A pass row's columns under the drizzle row's names (rowToPass reads them). */
const PASS_COLUMNS = `pass_id AS passId, version, status, status_reason AS statusReason, plate, company, goods, crew,
  valid_from AS validFrom, valid_to AS validTo, route_checkpoints AS routeCheckpoints, route_provinces AS routeProvinces,
  direction, issuing_province AS issuingProvince, origin_zone AS originZone`;

const plateKey = (plate: string) => plate.toUpperCase().replace(/[^0-9A-Z]/g, '');

/**
 * The cached whitelist: passes, people's health facts, zone levels, the signed documents and the
 * feed cursor. Hot lookups are prepared once; nothing is held in JS memory. One connection writes
 * (the link's, or a test's); other connections read, and see another's commits through the file
 * (the sync state is read from its row, documents changes are noticed by `PRAGMA data_version`).
 */
export class FeedCache {
  private readonly live: ReturnType<typeof cacheWriters>;
  private readonly next: ReturnType<typeof cacheWriters>;
  private readonly lookups;
  private docsRevision = 0;
  /** what the documents were when last looked at, to tell another connection's document change from other commits */
  private docsSeen: { dataVersion: unknown; text: string } | null = null;
  private snapshotOpen = false;

  constructor(private readonly db: Db, private readonly client: Database.Database, clearStaged = true) {
    const p = sql.placeholder;
    this.live = cacheWriters(client, '');
    this.next = cacheWriters(client, '_next');
    this.lookups = {
      // The lookups every scan makes, in plain SQL returning rows in the drizzle row's shape (no per-call mapping).
      pass: client.prepare(`SELECT ${PASS_COLUMNS} FROM passes WHERE issuing_province = ? AND pass_id = ?`),
      // Raw SQL so the expression matches the plate index exactly (see schema.ts).
      byPlate: client.prepare(`SELECT ${PASS_COLUMNS}
        FROM passes WHERE ${PLATE_KEY_SQL} = ? ORDER BY pass_id DESC, issuing_province LIMIT ?`),
      // The start of a plate ("51C"): a range of the plate-key index, as fast as a whole plate.
      byPlatePrefix: client.prepare(`SELECT ${PASS_COLUMNS}
        FROM passes WHERE ${PLATE_KEY_SQL} >= @lo AND ${PLATE_KEY_SQL} < @hi ORDER BY ${PLATE_KEY_SQL}, pass_id DESC LIMIT @limit`),
      // A part inside a plate ("12345") has no index: one slice of the table by rowid, so a caller can
      // walk the table in slices and let scans be decided between them.
      byPlateInside: client.prepare(`SELECT pass_id AS passId, version, status, status_reason AS statusReason, plate, company, goods, crew,
        valid_from AS validFrom, valid_to AS validTo, route_checkpoints AS routeCheckpoints, route_provinces AS routeProvinces,
        direction, issuing_province AS issuingProvince, origin_zone AS originZone, rowid AS rid
        FROM passes WHERE rowid > @from AND rowid <= @to AND ${PLATE_KEY_SQL} LIKE '%' || @key || '%' LIMIT @limit`),
      maxRowid: client.prepare('SELECT max(rowid) AS m FROM passes'),
      // Looked up on every scan too (a pass's status line, a person's flag): plain SQL like the pass.
      flag: client.prepare(`SELECT citizen_id AS citizenId, status, status_as_of AS statusAsOf, test_type AS testType, test_sampled_at AS testSampledAt
        FROM health_flags WHERE citizen_id = ?`),
      passStatus: client.prepare(`SELECT issuing_province AS issuingProvince, pass_id AS passId, status, since
        FROM pass_status WHERE issuing_province = ? AND pass_id = ?`),
      zone: client.prepare('SELECT level FROM zones WHERE zone = ?').pluck(),
      document: db.select({ document: documents.document }).from(documents).where(eq(documents.name, p('name'))).prepare(),
      putDocument: db.insert(documents).values({ name: p('name'), document: p('document'), updatedAt: p('at') } as never)
        .onConflictDoUpdate({ target: documents.name, set: { document: sql.raw('excluded.document'), updatedAt: sql.raw('excluded.updated_at') } }).prepare(),
      sync: client.prepare('SELECT cursor, synced_at AS syncedAt FROM sync_state WHERE id = 1'),
      // A decision's read transaction, prepared once (exec would parse the SQL on every scan).
      begin: client.prepare('BEGIN'),
      commit: client.prepare('COMMIT'),
      dataVersion: client.prepare('PRAGMA data_version').pluck(),
      documentsText: client.prepare("SELECT group_concat(document, char(0)) FROM (SELECT document FROM documents ORDER BY name)").pluck(),
      putSync: db.insert(syncState).values({ id: 1, cursor: p('cursor'), syncedAt: p('syncedAt') } as never)
        .onConflictDoUpdate({ target: syncState.id, set: { cursor: sql.raw('excluded.cursor'), syncedAt: sql.raw('excluded.synced_at') } }).prepare(),
    };
    // Rows of a snapshot interrupted by a restart are of no use: free their pages.
    if (clearStaged) this.clearNext();
  }

  /**
   * Run `fn` (several lookups) in one read transaction: it sees one state of the cache, whole, even
   * when the link commits a delta or swaps in a snapshot meanwhile. A reader never waits on the writer (WAL).
   */
  read<T>(fn: () => T): T {
    if (this.client.inTransaction) return fn();
    this.lookups.begin.run();
    try {
      return fn();
    } finally {
      this.lookups.commit.run();
    }
  }

  getPass(id: PassIdentity): PassFacts | null {
    const row = this.lookups.pass.get(id.issuingProvince, id.passId) as PassRow | undefined;
    return row ? rowToPass(row) : null;
  }

  /**
   * Cached passes with this plate, however it is typed ('51C-123.45', '51c 12345'); newest first. When
   * no whole plate matches, the plates that start with what was typed (both by the plate-key index).
   */
  passesByPlate(plate: string, limit = 20): PassFacts[] {
    const key = plateKey(plate);
    if (key.length === 0) return [];
    const exact = this.lookups.byPlate.all(key, limit) as Parameters<typeof rowToPass>[0][];
    if (exact.length > 0 || key.length < 2) return exact.map(rowToPass);
    // Keys are [0-9A-Z]: the next character after the last one bounds the range.
    const hi = key.slice(0, -1) + String.fromCharCode(key.charCodeAt(key.length - 1) + 1);
    return (this.lookups.byPlatePrefix.all({ lo: key, hi, limit }) as Parameters<typeof rowToPass>[0][]).map(rowToPass);
  }

  /** One slice (rowids after `from`, `span` of them) of the passes whose plate contains `plate`; `next` is null at the end. */
  passesWithPlateInside(plate: string, from: number, span: number, limit = 20): { passes: PassFacts[]; next: number | null } {
    const key = plateKey(plate);
    const max = (this.lookups.maxRowid.get() as { m: number | null }).m ?? 0;
    if (key.length === 0 || from >= max) return { passes: [], next: null };
    const to = from + span;
    const rows = this.lookups.byPlateInside.all({ key, from, to, limit }) as (Parameters<typeof rowToPass>[0] & { rid: number })[];
    const passes = rows.map(({ rid: _rid, ...r }) => rowToPass(r));
    return { passes, next: to >= max ? null : to };
  }

  /** The person's line in the national health-flag list, or null: most people have none. */
  healthFlag(citizenId: string): HealthFlag | null {
    const row = this.lookups.flag.get(citizenId) as FlagRow | undefined;
    return row ? rowToFlag(row) : null;
  }

  /** The pass's line in the national list of passes that are not ACTIVE, whatever its route, or null. */
  passStatus(id: PassIdentity): PassStatusItem | null {
    const row = this.lookups.passStatus.get(id.issuingProvince, id.passId) as PassStatusRow | undefined;
    return row ? { type: 'passStatus', ...row } : null;
  }

  zoneLevel(zone: string): 1 | 2 | 3 | 4 | null {
    const level = this.lookups.zone.get(zone) as number | undefined;
    return level === undefined ? null : (level as 1 | 2 | 3 | 4);
  }

  /** The trust document (a province's own list or the national chain) or the policy, as it travelled. */
  document<N extends DocumentName>(name: N): StoredDocument<N> | null {
    const row = this.lookups.document.get({ name });
    return row ? (JSON.parse(row.document) as StoredDocument<N>) : null;
  }

  /**
   * Grows whenever a trust list or policy document is written (by this connection or another), so
   * users can re-verify lazily. Costs one pragma when nothing was committed since the last call.
   */
  documentsRevision(): number {
    const dataVersion = this.lookups.dataVersion.get();
    if (this.docsSeen?.dataVersion !== dataVersion) {
      const text = String(this.lookups.documentsText.get() ?? '');
      if (this.docsSeen !== null && this.docsSeen.text !== text) this.docsRevision++;
      this.docsSeen = { dataVersion, text };
    }
    return this.docsRevision;
  }

  syncState(): SyncState {
    const row = this.lookups.sync.get() as SyncState | undefined;
    return { cursor: row?.cursor ?? null, syncedAt: row?.syncedAt ?? null };
  }

  /**
   * Apply feed items and the cursor in one transaction: all of them or none. Deltas applied while a
   * paged snapshot is open go to the live tables and are replaced by the snapshot when it commits.
   */
  applyFeedItems(items: readonly FeedItem[], opts: ApplyOptions): { applied: number } {
    if (opts.replaceAll && this.snapshotOpen) throw new StoreError('SNAPSHOT_CLOSED', 'a paged snapshot is being written; commit or abort it first');
    if (opts.validate !== false) validateItems(items);
    let docs = false;
    this.client.transaction(() => {
      if (opts.replaceAll) this.clearNext();
      for (const item of items) docs = this.applyItem(item, opts.replaceAll ? this.next : this.live, opts.syncedAt) || docs;
      if (opts.replaceAll) this.swapNext();
      this.lookups.putSync.run({ cursor: opts.cursor, syncedAt: opts.syncedAt });
    }).immediate();
    if (docs) this.noteOwnDocuments();
    if (opts.replaceAll) this.clearNext();
    return { applied: items.length };
  }

  /**
   * A snapshot that arrives in pages: each page is written to the `_next` tables in its own
   * transaction; `commit` swaps them in with the cursor atomically. Until then lookups see the old cache.
   * Documents in the pages are applied at commit, with the rest.
   */
  beginSnapshot(): SnapshotWriter {
    if (this.snapshotOpen) throw new StoreError('SNAPSHOT_CLOSED', 'a snapshot is already being written');
    this.snapshotOpen = true;
    this.clearNext();
    const pendingDocs: FeedItem[] = [];
    let count = 0;
    let open = true;
    const ensureOpen = () => {
      if (!open) throw new StoreError('SNAPSHOT_CLOSED', 'this snapshot was already committed or aborted');
    };
    const finish = () => {
      open = false;
      this.snapshotOpen = false;
    };
    return {
      addPage: (items, opts = {}) => {
        ensureOpen();
        if (opts.validate !== false) validateItems(items, count);
        // The cache file is synchronous=NORMAL: a staged page costs no fsync.
        this.client.transaction(() => {
          for (const item of items) {
            if (item.type === 'policy' || item.type === 'trustList') pendingDocs.push(item);
            else this.applyItem(item, this.next, 0);
          }
        }).immediate();
        count += items.length;
      },
      commit: ({ cursor, syncedAt }) => {
        ensureOpen();
        this.client.transaction(() => {
          for (const item of pendingDocs) this.applyItem(item, this.next, syncedAt);
          this.swapNext();
          this.lookups.putSync.run({ cursor, syncedAt });
        }).immediate();
        finish();
        if (pendingDocs.length > 0) this.noteOwnDocuments();
        this.clearNext();
        return { applied: count };
      },
      abort: () => {
        if (!open) return;
        finish();
        this.clearNext();
      },
    };
  }

  /** data_version does not move for this connection's own commits: count them here. */
  private noteOwnDocuments(): void {
    this.docsRevision++;
    this.docsSeen = { dataVersion: this.lookups.dataVersion.get(), text: String(this.lookups.documentsText.get() ?? '') };
  }

  /** Returns true when the item was a document. */
  private applyItem(item: FeedItem, w: ReturnType<typeof cacheWriters>, at: number): boolean {
    switch (item.type) {
      case 'pass':
        w.pass(passToRow(item));
        // The pass's own status keeps its line of the national list in step.
        if (item.status === 'ACTIVE') w.deletePassStatus.run(item.issuingProvince, item.passId);
        else w.passStatus({ issuingProvince: item.issuingProvince, passId: item.passId, status: item.status, since: at });
        return false;
      case 'passStatus':
        w.passStatus({ issuingProvince: item.issuingProvince, passId: item.passId, status: item.status, since: item.since });
        return false;
      case 'flag':
        w.flag(flagToRow(item));
        return false;
      case 'person': {
        // A whole person's record (a seeded or older feed): only a flag of it is kept.
        const flag = personToFlag(item);
        if (flag) w.flag(flagToRow(flag));
        else w.deleteFlag.run(item.citizenId);
        return false;
      }
      case 'zone':
        w.zone({ zone: item.zone, level: item.level });
        return false;
      case 'policy':
      case 'trustList':
        this.lookups.putDocument.run({ name: item.type, document: JSON.stringify(item.document), at });
        return true;
      case 'delete': {
        if (item.entity === 'pass') {
          // The key is the pass ref "79-17": an id alone would name a pass of every province.
          const id = parsePassRef(item.key);
          if (!id) throw new StoreError('INVALID_FEED_ITEM', `delete of pass with a key that is not a pass ref ${JSON.stringify(item.key)}`);
          w.deletePass.run(id.issuingProvince, id.passId);
          w.deletePassStatus.run(id.issuingProvince, id.passId);
        } else if (item.entity === 'person' || item.entity === 'flag') w.deleteFlag.run(item.key);
        else w.deleteZone.run(item.key);
        return false;
      }
    }
  }

  private clearNext(): void {
    // DELETE without WHERE uses SQLite's truncate optimisation: pages are freed, rows are not visited.
    this.client.exec(CACHE_GENERATIONS.map((t) => `DELETE FROM ${t}_next;`).join(' '));
  }

  /** Swap live and `_next` tables by renaming (no row copies); callers hold a transaction. */
  private swapNext(): void {
    for (const t of CACHE_GENERATIONS) {
      this.client.exec(`ALTER TABLE ${t} RENAME TO ${t}_swap; ALTER TABLE ${t}_next RENAME TO ${t}; ALTER TABLE ${t}_swap RENAME TO ${t}_next;`);
    }
  }
}

export interface SnapshotWriter {
  addPage(items: readonly FeedItem[], opts?: { validate?: boolean }): void;
  commit(opts: { cursor: number; syncedAt: number }): { applied: number };
  abort(): void;
}
