import type { SignedDocument } from '../../../shared/trust/signed-document.js';
import type { SqlClient } from '../../db/sql-client.js';
import type { ChangeLog } from '../feed/change-log.js';
import { lockedTransaction, POLICY_LOCK } from '../../db/advisory-locks.js';

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
  /**
   * A transaction that holds the policies for its whole body: no other server instance reads the
   * highest version or publishes until it ends, so two publications never take the same version.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** The latest row of `province`, else the deployment's latest null-province row; undefined: the latest of all. */
  latest(province?: number): Promise<PolicyRow | null>;
  /** The rows `latest(province)` chooses among, newest first. */
  list(limit: number, province?: number): Promise<PolicyRow[]>;
  /** the highest version stored, of any province (0 when none) */
  maxVersion(): Promise<number>;
  /** Store a version and append it to the feed. */
  insert(row: PolicyRow): Promise<void>;
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

export class SqlPolicyRepository implements PolicyRepository {
  constructor(private readonly client: SqlClient, private readonly changes: ChangeLog) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return lockedTransaction(this.client, POLICY_LOCK, fn);
  }

  async latest(province?: number): Promise<PolicyRow | null> {
    const r = province === undefined
      ? await this.client.get<Raw>(`SELECT ${COLUMNS} FROM policies ORDER BY version DESC LIMIT 1`)
      : await this.client.get<Raw>(`SELECT ${COLUMNS} FROM policies ${OWN_THEN_DEPLOYMENT} LIMIT 1`, [province]);
    return r ? fromRaw(r) : null;
  }

  async list(limit: number, province?: number): Promise<PolicyRow[]> {
    const rows = province === undefined
      ? await this.client.all<Raw>(`SELECT ${COLUMNS} FROM policies ORDER BY version DESC LIMIT ?`, [limit])
      : await this.client.all<Raw>(`SELECT ${COLUMNS} FROM policies ${OWN_THEN_DEPLOYMENT} LIMIT ?`, [province, limit]);
    return rows.map(fromRaw);
  }

  async maxVersion(): Promise<number> {
    return (await this.client.get<{ v: number | null }>('SELECT max(version) AS v FROM policies'))?.v ?? 0;
  }

  async insert(row: PolicyRow): Promise<void> {
    const item = JSON.stringify({ type: 'policy', document: row.document });
    const seq = await this.changes.append('policy', policyFeedKey(row.province), item, row.publishedAt);
    await this.client.run(
      'INSERT INTO policies (version, province, document, published_at, published_by, item, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [row.version, row.province, JSON.stringify(row.document), row.publishedAt, row.publishedBy, item, seq],
    );
  }
}
