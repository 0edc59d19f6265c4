import type { TrustedKey } from '../../../shared/trust/trust-list.js';
import type { TrustDocument } from '../../../shared/trust/authority.js';
import type { SqlClient } from '../../db/sql-client.js';
import type { ChangeLog } from '../feed/change-log.js';
import { lockedTransaction, TRUST_LOCK } from '../../db/advisory-locks.js';
import { notifyAtCommit } from '../../db/pg-notifications.js';

/** PostgreSQL: notified when a change to the keys or the list commits, so other instances re-read them (refresher.ts) */
export const TRUST_CHANNEL = 'trust_change';

export interface TrustRepository {
  /**
   * A transaction that holds the trust list for its whole body: no other server instance reads,
   * compares or publishes the list until it ends, so two publications never build on the same version.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  keys(): Promise<TrustedKey[]>;
  addKey(k: TrustedKey, createdAt: number): Promise<void>;
  latest(): Promise<{ version: number; document: TrustDocument } | null>;
  /** Store a new trust list version and append it to the feed. */
  publish(version: number, document: TrustDocument, at: number): Promise<void>;
}

type KeyRow = { kid: string; role: TrustedKey['role']; province: number | null; public_key: string; valid_from: number; valid_to: number | null };

export class SqlTrustRepository implements TrustRepository {
  constructor(private readonly client: SqlClient, private readonly changes: ChangeLog) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return lockedTransaction(this.client, TRUST_LOCK, fn);
  }

  async keys(): Promise<TrustedKey[]> {
    const rows = await this.client.all<KeyRow>('SELECT kid, role, province, public_key, valid_from, valid_to FROM issuer_keys ORDER BY created_at, kid');
    return rows.map((r) => ({ kid: r.kid, role: r.role, province: r.province, publicKey: r.public_key, validFrom: r.valid_from, validTo: r.valid_to }));
  }

  async addKey(k: TrustedKey, createdAt: number): Promise<void> {
    await this.client.run(
      'INSERT INTO issuer_keys (kid, role, province, public_key, valid_from, valid_to, created_at) VALUES (@kid, @role, @province, @publicKey, @validFrom, @validTo, @createdAt)',
      { kid: k.kid, role: k.role, province: k.province, publicKey: k.publicKey, validFrom: k.validFrom, validTo: k.validTo, createdAt },
    );
    await notifyAtCommit(this.client, TRUST_CHANNEL);
  }

  async latest(): Promise<{ version: number; document: TrustDocument } | null> {
    const r = await this.client.get<{ version: number; document: string }>('SELECT version, document FROM trust_lists ORDER BY version DESC LIMIT 1');
    return r ? { version: r.version, document: JSON.parse(r.document) as TrustDocument } : null;
  }

  async publish(version: number, document: TrustDocument, at: number): Promise<void> {
    const item = JSON.stringify({ type: 'trustList', document });
    const seq = await this.changes.append('trustList', 'current', item, at);
    await this.client.run('INSERT INTO trust_lists (version, document, issued_at, item, change_seq) VALUES (?, ?, ?, ?, ?)', [version, JSON.stringify(document), at, item, seq]);
    await notifyAtCommit(this.client, TRUST_CHANNEL);
  }
}
