import type { KeyObject } from 'node:crypto';
import { DEFAULT_POLICY, PolicySchema, type Policy } from '../../shared/rules/policy.js';
import { softenedIntegrityReasons, withIntegrityFloor } from '../../shared/rules/policy-floor.js';
import { layeredPolicy } from '../../shared/rules/policy-layers.js';
import type { FeedItem } from '../../shared/contracts/feed.js';
import type { TrustDocument } from '../../shared/trust/authority.js';
import { DocumentError, openDocument } from '../../shared/trust/signed-document.js';
import { TrustList } from '../../shared/trust/trust-list.js';
import type { StationStore } from '../store/store.js';

export type EngineLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface Rules {
  /** null until a trust list signed by the root key is in the store: every code is then UNTRUSTED_KEY */
  trust: TrustList | null;
  policy: Policy;
  /** the signed policy's version; 0 while the built-in default is in force */
  policyVersion: number;
}

/**
 * The verified trust list and policy, opened from the store's signed documents and kept in memory.
 * Re-verified only when the store says its documents changed. A document that fails verification is
 * refused and the last good one stays in force (logged).
 */
export class TrustState {
  private loadedRevision = -1;
  private rules: Rules = { trust: null, policy: DEFAULT_POLICY, policyVersion: 0 };

  constructor(
    private readonly store: Pick<StationStore, 'document' | 'documentsRevision'>,
    private readonly rootPublicKey: KeyObject,
    private readonly log: EngineLog = () => {},
    /** the station's province: in a national chain its policy must be signed by that province's policy key */
    private readonly province?: number,
  ) {}

  current(now: number): Rules {
    const revision = this.store.documentsRevision();
    if (revision !== this.loadedRevision) {
      this.loadedRevision = revision;
      this.load(now);
    }
    return this.rules;
  }

  private baseline(trust: TrustList, now: number): Policy | null {
    try {
      return openBaseline(trust, now);
    } catch (err) {
      this.log('error', 'the national baseline policy does not verify; provinces\' policies apply alone', { error: (err as Error).message });
      return null;
    }
  }

  private load(now: number): void {
    let trust = this.rules.trust;
    const trustDoc = this.store.document('trustList');
    if (trustDoc) {
      try {
        trust = TrustList.open(trustDoc, this.rootPublicKey);
      } catch (err) {
        this.log('error', 'trust list in the store does not verify with the root key; keeping the previous one', { error: (err as Error).message });
      }
    }
    let { policy, policyVersion } = this.rules;
    const policyDoc = this.store.document('policy');
    if (policyDoc && trust) {
      try {
        const opened = trust.openSigned(policyDoc, 'policy', now, (key) => openDocument(policyDoc, key, PolicySchema), policySigner(trust, this.province));
        const softened = softenedIntegrityReasons(opened);
        if (softened.length > 0) {
          this.log('error', 'policy tries to soften integrity reasons below DENY; those overrides are ignored', { version: opened.version, reasons: softened });
        }
        policy = withIntegrityFloor(opened);
        policyVersion = policy.version;
      } catch (err) {
        this.log('error', 'policy in the store does not verify; keeping the previous one', { error: (err as Error).message });
      }
    }
    // National chain: the province's policy is held to the national baseline the chain carries.
    const baseline = trust ? this.baseline(trust, now) : null;
    if (baseline) {
      policy = layeredPolicy(baseline, policyVersion === 0 ? baseline : policy);
      policyVersion = policy.version;
    }
    if (!trust) this.log('warn', 'no verified trust list: codes cannot be checked until one is synced or seeded');
    if (policyVersion === 0) this.log('warn', 'no verified policy: using the built-in default');
    this.rules = { trust, policy, policyVersion };
  }
}

/**
 * Check the signed documents among feed items before they are stored (the sync client calls this):
 * a trust list must verify with the root key; a policy with a `policy` key of the trust list in the
 * same items, else of `current`. Throws a DocumentError naming what failed.
 */
export function verifyFeedDocuments(items: readonly FeedItem[], rootPublicKey: KeyObject, current: TrustDocument | null, now: number): void {
  let trust: TrustList | null = current ? openQuietly(current, rootPublicKey) : null;
  for (const item of items) {
    if (item.type !== 'trustList') continue;
    const next = TrustList.open(item.document, rootPublicKey);
    if (trust) refuseRollback(trust, next);
    trust = next;
  }
  if (trust) openBaseline(trust, now);
  for (const item of items) {
    if (item.type !== 'policy') continue;
    if (!trust) throw new DocumentError('BAD_SIGNATURE', 'a policy arrived but there is no trust list to check it with');
    trust.openSigned(item.document, 'policy', now, (key) => openDocument(item.document, key, PolicySchema));
  }
}

/** The stored document no longer verifying (say, a root changed at install) must not block a good new one. */
function openQuietly(doc: TrustDocument, root: KeyObject): TrustList | null {
  try {
    return TrustList.open(doc, root);
  } catch {
    return null;
  }
}

/**
 * A province's authority never goes back to an older version: an old document may still list a key
 * revoked since (a server replaying it would bring the key back).
 */
function refuseRollback(current: TrustList, next: TrustList): void {
  const had = current.authorityVersions();
  for (const [province, version] of next.authorityVersions()) {
    const before = had.get(province);
    if (before !== undefined && version < before) {
      throw new DocumentError('INVALID_DOCUMENT', `the authority of ${province === null ? 'the centre' : `province ${province}`} goes back from version ${before} to ${version}`);
    }
  }
}

/**
 * Whose policy key may sign this station's policy: in a national chain only its own province's (another
 * province's policy, however well signed, is not this station's); a province's own list: any of its policy keys.
 */
function policySigner(trust: TrustList, province: number | undefined): number | undefined {
  return province !== undefined && trust.authorityVersions().size > 0 ? province : undefined;
}

/** The chain's national baseline policy, verified with a policy key of the centre; null when there is none. */
function openBaseline(trust: TrustList, now: number): Policy | null {
  const doc = trust.baselineDocument();
  if (!doc) return null;
  return withIntegrityFloor(trust.openSigned(doc, 'policy', now, (key) => openDocument(doc, key, PolicySchema), null));
}
