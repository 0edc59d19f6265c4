import type Database from 'better-sqlite3';
import type { SignedDocument } from '../../../shared/trust/signed-document.js';
import type { ChangeLog } from '../feed/change-log.js';
import { withTransaction } from '../feed/transaction.js';

export interface PolicyRow {
  version: number;
  document: SignedDocument;
  publishedAt: number;
  publishedBy: string;
}

export interface PolicyRepository {
  transaction<T>(fn: () => T): T;
  latest(): PolicyRow | null;
  list(limit: number): PolicyRow[];
  /** Store a version and append it to the feed. */
  insert(row: PolicyRow): void;
}

type Raw = { version: number; document: string; published_at: number; published_by: string };
const fromRaw = (r: Raw): PolicyRow => ({ version: r.version, document: JSON.parse(r.document) as SignedDocument, publishedAt: r.published_at, publishedBy: r.published_by });

export class SqlitePolicyRepository implements PolicyRepository {
  private readonly latestStmt: Database.Statement<[], Raw>;
  private readonly listStmt: Database.Statement<[number], Raw>;
  private readonly insertStmt: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly changes: ChangeLog) {
    this.latestStmt = db.prepare('SELECT version, document, published_at, published_by FROM policies ORDER BY version DESC LIMIT 1');
    this.listStmt = db.prepare('SELECT version, document, published_at, published_by FROM policies ORDER BY version DESC LIMIT ?');
    this.insertStmt = db.prepare('INSERT INTO policies (version, document, published_at, published_by, item, change_seq) VALUES (?, ?, ?, ?, ?, ?)');
  }

  transaction<T>(fn: () => T): T {
    return withTransaction(this.db, fn);
  }

  latest(): PolicyRow | null {
    const r = this.latestStmt.get();
    return r ? fromRaw(r) : null;
  }

  list(limit: number): PolicyRow[] {
    return this.listStmt.all(limit).map(fromRaw);
  }

  insert(row: PolicyRow): void {
    const item = JSON.stringify({ type: 'policy', document: row.document });
    const seq = this.changes.append('policy', 'current', item, row.publishedAt);
    this.insertStmt.run(row.version, JSON.stringify(row.document), row.publishedAt, row.publishedBy, item, seq);
  }
}
