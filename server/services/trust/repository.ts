import type Database from 'better-sqlite3';
import type { TrustedKey } from '../../../shared/trust/trust-list.js';
import type { TrustDocument } from '../../../shared/trust/authority.js';
import type { SyncAppend } from '../feed/sqlite-change-log.js';
import { withTransaction } from '../feed/transaction.js';

export interface TrustRepository {
  transaction<T>(fn: () => T): T;
  keys(): TrustedKey[];
  addKey(k: TrustedKey, createdAt: number): void;
  latest(): { version: number; document: TrustDocument } | null;
  /** Store a new trust list version and append it to the feed. */
  publish(version: number, document: TrustDocument, at: number): void;
}

export class SqliteTrustRepository implements TrustRepository {
  private readonly keysStmt: Database.Statement<[], { kid: string; role: TrustedKey['role']; province: number | null; public_key: string; valid_from: number; valid_to: number | null }>;
  private readonly addKeyStmt: Database.Statement;
  private readonly latestStmt: Database.Statement<[], { version: number; document: string }>;
  private readonly insertStmt: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly changes: SyncAppend) {
    this.keysStmt = db.prepare('SELECT kid, role, province, public_key, valid_from, valid_to FROM issuer_keys ORDER BY created_at, kid');
    this.addKeyStmt = db.prepare(
      'INSERT INTO issuer_keys (kid, role, province, public_key, valid_from, valid_to, created_at) VALUES (@kid, @role, @province, @publicKey, @validFrom, @validTo, @createdAt)',
    );
    this.latestStmt = db.prepare('SELECT version, document FROM trust_lists ORDER BY version DESC LIMIT 1');
    this.insertStmt = db.prepare('INSERT INTO trust_lists (version, document, issued_at, item, change_seq) VALUES (?, ?, ?, ?, ?)');
  }

  transaction<T>(fn: () => T): T {
    return withTransaction(this.db, fn);
  }

  keys(): TrustedKey[] {
    return this.keysStmt.all().map((r) => ({ kid: r.kid, role: r.role, province: r.province, publicKey: r.public_key, validFrom: r.valid_from, validTo: r.valid_to }));
  }

  addKey(k: TrustedKey, createdAt: number): void {
    this.addKeyStmt.run({ ...k, createdAt });
  }

  latest(): { version: number; document: TrustDocument } | null {
    const r = this.latestStmt.get();
    return r ? { version: r.version, document: JSON.parse(r.document) as TrustDocument } : null;
  }

  publish(version: number, document: TrustDocument, at: number): void {
    const item = JSON.stringify({ type: 'trustList', document });
    const seq = this.changes.appendSync('trustList', 'current', item, at);
    this.insertStmt.run(version, JSON.stringify(document), at, item, seq);
  }
}
