import type { KeyObject } from 'node:crypto';
import { isTrustChain, openAuthority, type AuthorityBody, type TrustChain, type TrustDocument } from '../../../shared/trust/authority.js';
import { PolicySchema, type Policy } from '../../../shared/rules/policy.js';
import { TrustList, trustedKeyEntry, type TrustListBody } from '../../../shared/trust/trust-list.js';
import { openDocument, type SignedDocument } from '../../../shared/trust/signed-document.js';
import { ConflictError, ValidationError } from '../../domain-errors.js';
import { keyName, MissingKeyError, type IssuerKey, type IssuerRole, type KeyStore } from '../keys/key-store.js';
import type { TrustedKey } from '../../../shared/trust/trust-list.js';
import type { TrustRepository } from './repository.js';

/** Stations' clocks may run behind the server's; a brand-new key is valid from a day before it existed. */
const CLOCK_SKEW_ALLOWANCE_MS = 24 * 3_600_000;

/** A province has no transport key yet: issuing waits for an admin to create one (never made on the spot). */
export class NoSigningKeyError extends ConflictError {
  override readonly code = 'NO_SIGNING_KEY';
}

/**
 * National mode: the server holds a key that the imported authority documents do not certify for this
 * province and role (or that is retired there). Stations would deny what it signs: nothing is signed.
 */
export class KeyNotCertifiedError extends ConflictError {
  override readonly code = 'KEY_NOT_CERTIFIED';
}

/**
 * A key file exists that the trust list does not carry yet: placed by hand while the server ran (it is
 * registered at the next start), or made by another instance a moment ago (seen at the next refresh).
 */
export class KeyNotRegisteredError extends ConflictError {
  override readonly code = 'KEY_NOT_REGISTERED';
}

/** The server cannot start: trust data exists but a key it was made with is gone. */
export class KeyFilesMissingError extends Error {
  override name = 'KeyFilesMissingError';
}

/** Who made a key: a signed-in admin, or an operator's command (`npm run keys`, the demo seed). */
export type KeyCreator = { userId: number; username: string; role: string } | { system: string };

export interface KeyCreated {
  kid: string;
  role: IssuerRole;
  province: number | null;
  /** the trust list version that publishes it (null for the root key, which signs the lists) */
  trustListVersion: number | null;
  by: KeyCreator;
  /** how the act came in: the HTTP method and URL, or 'CLI' and the command line */
  via: KeyCreationVia;
  at: number;
}

export interface KeyCreationVia {
  method: string;
  url: string;
  ip?: string | null;
}

interface TrustState {
  keys: TrustedKey[];
  latest: { version: number; document: TrustDocument } | null;
}

/**
 * The issuer keys and the trust list. Keys are made only by `createKey` (the key-management command,
 * the admin key route) and by the first start of an empty database (root, health, policy, and any key
 * file found unregistered); every creation goes to `onKeyCreated` (the access log and the server log).
 * A new trust list version, signed by the root key, is published whenever the registered set changes.
 *
 * Reads (the signing keys every pass and health code needs, the current list) come from a copy held in
 * memory: the list changes a few times a year and is read on every signature. The copy is replaced after
 * each of this instance's publications and by `refresh` (other instances' publications: on PostgreSQL
 * the plugin refreshes when trust_change is notified, and on a timer as the fallback, see refresher.ts).
 * Publications read, compare and write inside the repository's transaction, which holds the list
 * against other instances (and against a second instance's first start on an empty database).
 */
export class TrustService {
  private state: TrustState = { keys: [], latest: null };

  constructor(
    private readonly keyStore: KeyStore,
    private readonly repo: TrustRepository,
    private readonly clock: () => number,
    private readonly onKeyCreated: (e: KeyCreated) => void | Promise<void>,
    /**
     * National mode: the national root's public key. Stations then trust only the authority documents
     * it signed (imported with `importAuthority`); this server's own root signs nothing they use.
     */
    private readonly nationalRoot: KeyObject | null = null,
  ) {}

  get national(): boolean {
    return this.nationalRoot !== null;
  }

  async start(): Promise<void> {
    const made = await this.repo.transaction(async () => {
      const empty = (await this.repo.latest()) === null && (await this.repo.keys()).length === 0;
      const made = empty ? this.bootstrap() : [];
      if (!empty) await this.assertKeyFiles();
      // The first start's keys, and any key file put in place by hand not yet registered (or a first start that failed half-way).
      let changed = false;
      for (const role of ['health', 'policy'] as const) changed = (await this.register(this.keyStore.get(role))) || changed;
      for (const k of this.keyStore.list()) if (k.role !== 'root') changed = (await this.register(this.keyStore.get(k.role, k.province))) || changed;
      if (changed || (await this.repo.latest()) === null) await this.publishIfChanged();
      return made;
    });
    await this.refresh();
    for (const k of made) await this.created(k, { system: 'first start' }, { method: 'START', url: 'first start of an empty database' });
  }

  /** Read the keys and the list again (another instance may have published). */
  async refresh(): Promise<void> {
    this.state = { keys: await this.repo.keys(), latest: await this.repo.latest() };
  }

  hasTransportKey(province: number): boolean {
    return this.keyStore.has('transport', province);
  }

  /** The province's transport key; NoSigningKeyError when an admin has not created it. */
  transportKey(province: number): IssuerKey {
    let issuer: IssuerKey;
    try {
      issuer = this.keyStore.get('transport', province);
    } catch (err) {
      if (!(err instanceof MissingKeyError)) throw err;
      throw new NoSigningKeyError(
        `province ${province} has no transport signing key; an admin creates it (npm run keys -- create --role transport --province ${province}, or POST /api/v1/keys)`,
        `Tỉnh ${province} chưa có khóa ký của Sở Giao thông vận tải; quản trị viên cần tạo khóa trước khi cấp thẻ`,
      );
    }
    return this.certified(this.ensure(issuer), 'transport', [province]);
  }

  /**
   * The health key. National mode: it must be certified as a health key for the signer's province or
   * for the centre (province null), whose health keys every station trusts.
   */
  healthKey(province?: number): IssuerKey {
    return this.certified(this.ensure(this.keyStore.get('health')), 'health', province === undefined ? [null] : [province, null]);
  }

  /**
   * The policy key. National mode: a province's policy is signed only with a key the chain certifies as
   * that province's policy key (`province`); without one (the first start's default) no check is made.
   */
  policyKey(province?: number): IssuerKey {
    // A province's own policy key when the server holds one (`npm run keys -- create --role policy
    // --province N`): a national deployment can then sign every province's policy, each with its own.
    const own = this.nationalRoot !== null && this.nationalRoot !== undefined && province !== undefined && this.keyStore.has('policy', province);
    const issuer = this.ensure(own ? this.keyStore.get('policy', province) : this.keyStore.get('policy'));
    return province === undefined ? issuer : this.certified(issuer, 'policy', [province]);
  }

  /** National mode: the key as the imported chain certifies it for one of `provinces` with `role`, valid and not retired now. */
  private certified(issuer: IssuerKey, role: 'transport' | 'health' | 'policy', provinces: readonly (number | null)[]): IssuerKey {
    if (!this.nationalRoot) return issuer;
    const latest = this.state.latest;
    const list = latest && isTrustChain(latest.document) ? this.trustList() : null;
    const now = this.clock();
    for (const province of provinces) {
      try {
        // signed now: a key retired before now is refused like at a station
        list?.keyFor(issuer.key.kid, { role, province }, now, now);
        if (list) return issuer;
      } catch { /* try the next province */ }
    }
    const where = provinces.map((p) => (p === null ? 'the centre' : `province ${p}`)).join(' or ');
    const whereVi = provinces.map((p) => (p === null ? 'Trung ương' : `tỉnh ${p}`)).join(' hoặc ');
    throw new KeyNotCertifiedError(
      `the server's ${role} key ${issuer.key.kid} is not certified for ${where} by the imported authority documents (or is retired): ` +
      'import the authority document the national root signed for it; nothing was signed',
      `Khóa ký ${role} của máy chủ (${issuer.key.kid}) chưa được Trung ương chứng nhận cho ${whereVi} (hoặc đã ngừng dùng): cần nhập tài liệu ủy quyền đã ký; chưa ký gì`,
      { kid: issuer.key.kid, role, provinces },
    );
  }

  /** Make a new issuer key, register it and publish the trust list that carries it. Refused when it exists. */
  async createKey(role: Exclude<IssuerRole, 'root'>, province: number | null, by: KeyCreator, via: KeyCreationVia): Promise<KeyCreated> {
    const p = role === 'transport' || role === 'policy' ? province : null;
    const name = keyName(role, p);
    const exists = () => new ConflictError(`the ${name} key already exists`, `Khóa ${name} đã tồn tại`);
    if (this.keyStore.has(role, p)) throw exists();
    const made = await this.repo.transaction(async () => {
      // Checked again holding the list: another instance may have made it meanwhile.
      if (this.keyStore.has(role, p)) throw exists();
      const issuer = this.keyStore.create(role, p);
      await this.register(issuer);
      await this.publishIfChanged();
      return this.created(issuer, by, via);
    });
    await this.refresh();
    return made;
  }

  /** The root public key stations install: raw Ed25519 as base64url, and as SPKI PEM. */
  rootPublic(): { kid: string; publicKey: string; pem: string } {
    const root = this.keyStore.root().key;
    return { kid: root.kid, publicKey: root.publicKeyB64, pem: root.publicKey.export({ format: 'pem', type: 'spki' }).toString() };
  }

  current(): { version: number; document: TrustDocument } {
    const latest = this.state.latest;
    if (!latest) throw new Error('trust list not published yet (TrustService.start not called)');
    return latest;
  }

  /** The current list, verified with our own root key (a cheap self-check for callers that need the object). */
  trustList(): TrustList {
    return TrustList.open(this.current().document, this.verifyingRoot());
  }

  /** What stations verify the trust document with: the national root in national mode, else our own root. */
  private verifyingRoot(): KeyObject {
    return this.nationalRoot ?? this.keyStore.root().key.publicKey;
  }

  /** National mode: the centre's baseline policy the chain carries (verified), or null. */
  baselinePolicy(): Policy | null {
    const latest = this.state.latest;
    if (!this.nationalRoot || !latest || !isTrustChain(latest.document) || !latest.document.baseline) return null;
    const doc = latest.document.baseline;
    return this.trustList().openSigned(doc, 'policy', this.clock(), (key) => openDocument(doc, key, PolicySchema), null);
  }

  /**
   * National mode: the baseline policy the centre signed with its policy key (certified in the national
   * authority document). Refused unless it verifies with that key; relayed to stations with the chain.
   */
  async importBaseline(doc: SignedDocument): Promise<{ version: number; trustListVersion: number }> {
    await this.refresh();
    if (!this.nationalRoot || !this.state.latest || !isTrustChain(this.state.latest.document)) {
      throw new ValidationError('import the national authority documents first: the baseline is checked with the centre\'s policy key',
        'Cần nhập tài liệu ủy quyền của Trung ương trước: chính sách chung được kiểm tra bằng khóa chính sách của Trung ương');
    }
    let policy: Policy;
    try {
      policy = this.trustList().openSigned(doc, 'policy', this.clock(), (key) => openDocument(doc, key, PolicySchema), null);
    } catch (err) {
      throw new ValidationError(`baseline policy refused: ${(err as Error).message} (it must be signed by a policy key of the centre)`,
        'Chính sách chung bị từ chối: không được ký bởi khóa chính sách của Trung ương');
    }
    const done = await this.repo.transaction(async () => {
      // The chain as it is now, holding it: an authority imported meanwhile on another instance is kept.
      const latest = (await this.repo.latest())!;
      const chain: TrustChain = { ...(latest.document as TrustChain), baseline: doc };
      const version = latest.version + 1;
      await this.repo.publish(version, chain, this.clock());
      return { version: policy.version, trustListVersion: version };
    });
    await this.refresh();
    return done;
  }

  /**
   * National mode: an authority document signed offline by the national root, for one province (or the
   * centre). Verified before anything is stored; an older or equal version than the one held is refused
   * (a replay could bring back a revoked key). Publishes the new chain to stations.
   */
  async importAuthority(doc: SignedDocument): Promise<{ province: number | null; version: number; trustListVersion: number }> {
    if (!this.nationalRoot) {
      throw new ValidationError('this server runs one province alone (no NATIONAL_ROOT_PUBLIC_KEY): it has no national trust chain to import into',
        'Máy chủ này chạy riêng một tỉnh (chưa cấu hình khóa gốc quốc gia): không nhận tài liệu ủy quyền quốc gia');
    }
    let body: AuthorityBody;
    try {
      body = openAuthority(doc, this.nationalRoot);
    } catch (err) {
      throw new ValidationError(`authority document refused: ${(err as Error).message} (it must be signed by the national root)`,
        'Tài liệu ủy quyền bị từ chối: không được ký bởi khóa gốc quốc gia hoặc nội dung không hợp lệ');
    }
    const done = await this.repo.transaction(async () => {
      const latest = await this.repo.latest();
      const held = latest && isTrustChain(latest.document) ? latest.document.authorities : [];
      const others: SignedDocument[] = [];
      for (const d of held) {
        const b = JSON.parse(d.body) as AuthorityBody;
        if (b.province !== body.province) others.push(d);
        else if (b.version >= body.version) {
          throw new ConflictError(`the authority of ${body.province ?? 'the centre'} is at version ${b.version}; version ${body.version} is not newer`,
            `Tài liệu ủy quyền phiên bản ${body.version} không mới hơn phiên bản đang dùng (${b.version})`);
        }
      }
      const baseline = latest && isTrustChain(latest.document) ? latest.document.baseline : undefined;
      const chain: TrustChain = { type: 'trust-chain', authorities: [...others, doc], ...(baseline ? { baseline } : {}) };
      // the whole chain must still open (say, a key id already certified for another province)
      try {
        TrustList.open(chain, this.nationalRoot!);
      } catch (err) {
        throw new ValidationError(`authority document refused: ${(err as Error).message}`, 'Tài liệu ủy quyền bị từ chối: mâu thuẫn với các tài liệu đang dùng');
      }
      const version = (latest?.version ?? 0) + 1;
      await this.repo.publish(version, chain, this.clock());
      return { province: body.province, version: body.version, trustListVersion: version };
    });
    await this.refresh();
    return done;
  }

  /**
   * First start of an empty database: the root, health and policy key files (files already there are
   * used, not replaced); `start` registers and publishes them. Returns the keys made, announced after commit.
   */
  private bootstrap(): IssuerKey[] {
    const made: IssuerKey[] = [];
    const getOrCreate = (role: 'root' | 'health' | 'policy') => {
      if (this.keyStore.has(role)) return this.keyStore.get(role);
      const k = this.keyStore.create(role);
      made.push(k);
      return k;
    };
    for (const role of ['root', 'health', 'policy'] as const) getOrCreate(role);
    return made;
  }

  /**
   * Trust data exists: every key it was made with must still be on disk. A missing root is never
   * regenerated (stations would not know the new root and would refuse every later trust list).
   */
  private async assertKeyFiles(): Promise<void> {
    const missing: string[] = [];
    if (!this.keyStore.has('root')) missing.push(keyName('root', null));
    for (const k of await this.repo.keys()) {
      if (!this.keyStore.has(k.role, k.province)) missing.push(keyName(k.role, k.province));
    }
    if (missing.length > 0) {
      const names = [...new Set(missing)].map((n) => `${n}.pem`).join(', ');
      throw new KeyFilesMissingError(
        `key files missing in ${this.keyStore.dir ?? '(memory)'}: ${names}. The database holds trust lists made with them; ` +
        'restore them from backup. The server never makes a replacement (stations would not trust it).',
      );
    }
    const latest = await this.repo.latest();
    // Throws if the root on disk did not sign the published list (a root file swapped by hand).
    if (latest) TrustList.open(latest.document, this.verifyingRoot());
  }

  private async created(issuer: IssuerKey, by: KeyCreator, via: KeyCreationVia): Promise<KeyCreated> {
    const e: KeyCreated = {
      kid: issuer.key.kid, role: issuer.role, province: issuer.province,
      trustListVersion: issuer.role === 'root' ? null : (await this.repo.latest())?.version ?? null, by, via, at: this.clock(),
    };
    await this.onKeyCreated(e);
    return e;
  }

  /** The key, once the trust list carries it (keys are registered when made and at start, never on a signing path). */
  private ensure(issuer: IssuerKey): IssuerKey {
    if (issuer.role === 'root' || this.state.keys.some((k) => k.kid === issuer.key.kid)) return issuer;
    const name = keyName(issuer.role, issuer.province);
    throw new KeyNotRegisteredError(
      `the ${name} key file is not in the trust list yet (put in place by hand, or made by another server instance a moment ago): ` +
      'restart the server to register a file put there by hand, or retry in a few seconds',
      `Khóa ${name} chưa có trong danh sách khóa tin cậy: khởi động lại máy chủ nếu tệp khóa được đặt thủ công, hoặc thử lại sau vài giây`,
    );
  }

  /** Register the key's public half if it is not yet; true when it was added. */
  private async register(issuer: IssuerKey): Promise<boolean> {
    if (issuer.role === 'root') return false;
    // Checked against the database, not the key file's freshness: a file may outlive a rolled-back registration.
    if ((await this.repo.keys()).some((k) => k.kid === issuer.key.kid)) return false;
    const now = this.clock();
    await this.repo.addKey(trustedKeyEntry(issuer.key, issuer.role, issuer.province, now - CLOCK_SKEW_ALLOWANCE_MS, null), now);
    return true;
  }

  /** Inside the repository's transaction: read, compare and publish while no other instance can. */
  private async publishIfChanged(): Promise<void> {
    // National mode: keys reach stations only through authority documents the national root signed.
    if (this.nationalRoot) return;
    await this.repo.transaction(async () => {
      const keys = await this.repo.keys();
      const latest = await this.repo.latest();
      if (latest && !isTrustChain(latest.document)) {
        const published = (JSON.parse(latest.document.body) as TrustListBody).keys;
        if (JSON.stringify(published) === JSON.stringify(keys)) return;
      }
      const now = this.clock();
      const body: TrustListBody = { type: 'trust-list', version: (latest?.version ?? 0) + 1, issuedAt: now, keys };
      await this.repo.publish(body.version, TrustList.sign(body, this.keyStore.root().key), now);
    });
  }
}
