import type Database from 'better-sqlite3';
import type { SignedDocument } from '../../../shared/trust/signed-document.js';
import type { SyncAppend } from '../feed/sqlite-change-log.js';
import { withTransaction } from '../feed/transaction.js';

export interface PolicyRow {
  /** server-wide sequence: a station's policy versions only ever grow */
  version: number;
  /** whose policy: a province, or null for the deployment's own single policy (first start, rows from before provinces) */
  province: number | null;
  document: SignedDocument;
  publishedAt: number;
  publishedBy: string;
}

export interface PolicyRepository {
  transaction<T>(fn: () => T): T;
  /** The latest row of `province`, else the deployment's latest null-province row; undefined: the latest of all. */
  latest(province?: number): PolicyRow | null;
  /** The rows `latest(province)` chooses among, newest first. */
  list(limit: number, province?: number): PolicyRow[];
  /** the highest version stored, of any province (0 when none) */
  maxVersion(): number;
  /** Store a version and append it to the feed. */
  insert(row: PolicyRow): void;
}

type Raw = { version: number; province: number | null; document: string; published_at: number; published_by: string };
const fromRaw = (r: Raw): PolicyRow => ({
  version: r.version, province: r.province, document: JSON.parse(r.document) as SignedDocument, publishedAt: r.published_at, publishedBy: r.published_by,
});

const COLUMNS = 'version, province, document, published_at, published_by';
/** A province's own rows first, then the deployment's null-province rows (what a province without its own policy follows). */
const OWN_THEN_DEPLOYMENT = 'WHERE province = ? OR province IS NULL ORDER BY province IS NULL, version DESC';

/** The feed key of a policy change: one per province, 'current' for the deployment's own (as before provinces). */
export const policyFeedKey = (province: number | null): string => (province === null ? 'current' : String(province));

export class SqlitePolicyRepository implements PolicyRepository {
  private readonly latestAny: Database.Statement<[], Raw>;
  private readonly latestOf: Database.Statement<[number], Raw>;
  private readonly listAny: Database.Statement<[number], Raw>;
  private readonly listOf: Database.Statement<[number, number], Raw>;
  private readonly maxStmt: Database.Statement<[], { v: number | null }>;
  private readonly insertStmt: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly changes: SyncAppend) {
    this.latestAny = db.prepare(`SELECT ${COLUMNS} FROM policies ORDER BY version DESC LIMIT 1`);
    this.latestOf = db.prepare(`SELECT ${COLUMNS} FROM policies ${OWN_THEN_DEPLOYMENT} LIMIT 1`);
    this.listAny = db.prepare(`SELECT ${COLUMNS} FROM policies ORDER BY version DESC LIMIT ?`);
    this.listOf = db.prepare(`SELECT ${COLUMNS} FROM policies ${OWN_THEN_DEPLOYMENT} LIMIT ?`);
    this.maxStmt = db.prepare('SELECT max(version) AS v FROM policies');
    this.insertStmt = db.prepare('INSERT INTO policies (version, province, document, published_at, published_by, item, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  transaction<T>(fn: () => T): T {
    return withTransaction(this.db, fn);
  }

  latest(province?: number): PolicyRow | null {
    const r = province === undefined ? this.latestAny.get() : this.latestOf.get(province);
    return r ? fromRaw(r) : null;
  }

  list(limit: number, province?: number): PolicyRow[] {
    return (province === undefined ? this.listAny.all(limit) : this.listOf.all(province, limit)).map(fromRaw);
  }

  maxVersion(): number {
    return this.maxStmt.get()?.v ?? 0;
  }

  insert(row: PolicyRow): void {
    const item = JSON.stringify({ type: 'policy', document: row.document });
    const seq = this.changes.appendSync('policy', policyFeedKey(row.province), item, row.publishedAt);
    this.insertStmt.run(row.version, row.province, JSON.stringify(row.document), row.publishedAt, row.publishedBy, item, seq);
  }
}
