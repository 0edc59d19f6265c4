import { TrustList, trustedKeyEntry, type TrustListBody } from '../../../shared/trust/trust-list.js';
import type { SignedDocument } from '../../../shared/trust/signed-document.js';
import type { IssuerKey, KeyStore } from '../keys/key-store.js';
import type { TrustRepository } from './repository.js';

/** Stations' clocks may run behind the server's; a brand-new key is valid from a day before it existed. */
const CLOCK_SKEW_ALLOWANCE_MS = 24 * 3_600_000;

/**
 * The issuer keys and the trust list. Keys are created on first use (root, health and policy at
 * start, a transport key when a province first issues), their public halves registered, and a new
 * trust list version, signed by the root key, published whenever the registered set changes.
 */
export class TrustService {
  constructor(private readonly keyStore: KeyStore, private readonly repo: TrustRepository, private readonly clock: () => number) {}

  start(): void {
    this.keyStore.root();
    // One trust list for all the keys a first start creates.
    this.repo.transaction(() => {
      this.register(this.keyStore.health());
      this.register(this.keyStore.policy());
      this.publishIfChanged();
    });
  }

  transportKey(province: number): IssuerKey {
    return this.ensure(this.keyStore.transport(province).issuer);
  }

  healthKey(): IssuerKey {
    return this.ensure(this.keyStore.health());
  }

  policyKey(): IssuerKey {
    return this.ensure(this.keyStore.policy());
  }

  /** The root public key stations install: raw Ed25519 as base64url, and as SPKI PEM. */
  rootPublic(): { kid: string; publicKey: string; pem: string } {
    const root = this.keyStore.root().key;
    return { kid: root.kid, publicKey: root.publicKeyB64, pem: root.publicKey.export({ format: 'pem', type: 'spki' }).toString() };
  }

  current(): { version: number; document: SignedDocument } {
    const latest = this.repo.latest();
    if (!latest) throw new Error('trust list not published yet (TrustService.start not called)');
    return latest;
  }

  /** The current list, verified with our own root key (a cheap self-check for callers that need the object). */
  trustList(): TrustList {
    return TrustList.open(this.current().document, this.keyStore.root().key.publicKey);
  }

  private ensure(issuer: IssuerKey): IssuerKey {
    this.repo.transaction(() => {
      if (this.register(issuer)) this.publishIfChanged();
    });
    return issuer;
  }

  /** Register the key's public half if it is not yet; true when it was added. */
  private register(issuer: IssuerKey): boolean {
    if (issuer.role === 'root') return false;
    // Checked against the database, not the key file's freshness: a file may outlive a rolled-back registration.
    if (this.repo.keys().some((k) => k.kid === issuer.key.kid)) return false;
    const now = this.clock();
    this.repo.addKey(trustedKeyEntry(issuer.key, issuer.role, issuer.province, now - CLOCK_SKEW_ALLOWANCE_MS, null), now);
    return true;
  }

  private publishIfChanged(): void {
    this.repo.transaction(() => {
      const keys = this.repo.keys();
      const latest = this.repo.latest();
      if (latest) {
        const published = (JSON.parse(latest.document.body) as TrustListBody).keys;
        if (JSON.stringify(published) === JSON.stringify(keys)) return;
      }
      const now = this.clock();
      const body: TrustListBody = { type: 'trust-list', version: (latest?.version ?? 0) + 1, issuedAt: now, keys };
      this.repo.publish(body.version, TrustList.sign(body, this.keyStore.root().key), now);
    });
  }
}
