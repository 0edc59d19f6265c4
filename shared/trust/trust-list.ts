import type { KeyObject } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { CodeError } from '../codes/errors.js';
import { publicKeyFromRaw, type SigningKey } from '../codes/keys.js';
import { isTrustChain, openTrustChain, type TrustDocument } from './authority.js';
import { DocumentError, openDocument, signDocument, type SignedDocument } from './signed-document.js';
import { TrustedKeySchema, type KeyRole, type TrustedKey } from './trusted-key.js';

export { KEY_ROLES, TrustedKeySchema, trustedKeyEntry, type KeyRole, type TrustedKey } from './trusted-key.js';

export const TrustListBodySchema = Type.Object(
  {
    type: Type.Literal('trust-list'),
    version: Type.Integer({ minimum: 1 }),
    issuedAt: Type.Integer({ minimum: 0 }),
    keys: Type.Array(TrustedKeySchema, { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type TrustListBody = Static<typeof TrustListBodySchema>;

export interface KeyRequirement {
  role: KeyRole;
  /** required for transport keys; null: a key of the centre */
  province?: number | null;
}

/** When the thing being verified was signed (a code's issuedAt): a retired key is trusted only for what it signed before. */
export type SignedAt = number | undefined;

/** The verified set of issuer keys. Built only from a document that the root key signed. */
export class TrustList {
  private readonly keys = new Map<string, { entry: TrustedKey; key: KeyObject }>();

  private constructor(readonly body: TrustListBody, readonly document: TrustDocument) {
    for (const entry of body.keys) this.keys.set(entry.kid, { entry, key: publicKeyFromRaw(Buffer.from(entry.publicKey, 'base64url')) });
  }

  /**
   * A province's own list signed by its root (one province alone), or the national chain: every
   * authority document signed by the national root (all or nothing). `rootPublicKey` is the root the
   * station was installed with.
   */
  static open(document: TrustDocument, rootPublicKey: KeyObject): TrustList {
    if (!isTrustChain(document)) return new TrustList(openDocument(document, rootPublicKey, TrustListBodySchema), document);
    const authorities = openTrustChain(document, rootPublicKey);
    const body: TrustListBody = {
      type: 'trust-list',
      // any re-issued authority raises the sum, so a newer chain always has a higher version
      version: authorities.reduce((n, a) => n + a.version, 0),
      issuedAt: Math.max(...authorities.map((a) => a.issuedAt)),
      keys: authorities.flatMap((a) => a.keys),
    };
    return new TrustList(body, document);
  }

  /** National chain only: the baseline policy document the chain carries (verify it with openSigned(…, 'policy', …, null)). */
  baselineDocument(): SignedDocument | null {
    return isTrustChain(this.document) ? (this.document.baseline ?? null) : null;
  }

  /** The province each authority document of a national chain stands for, with its version; empty for a province's own list. */
  authorityVersions(): Map<number | null, number> {
    const out = new Map<number | null, number>();
    if (isTrustChain(this.document)) {
      for (const doc of this.document.authorities) {
        const body = JSON.parse(doc.body) as { province: number | null; version: number };
        out.set(body.province, body.version);
      }
    }
    return out;
  }

  static sign(body: TrustListBody, root: SigningKey): SignedDocument {
    return signDocument(body, root);
  }

  get version(): number {
    return this.body.version;
  }

  /** The key for `kid` if it is known, valid at `now` and allowed to sign what `need` says; else a CodeError. */
  keyFor(kid: string, need: KeyRequirement, now: number, signedAt?: SignedAt): KeyObject {
    const found = this.keys.get(kid);
    if (!found) throw new CodeError('UNTRUSTED_KEY', `unknown key ${kid}`);
    const { entry, key } = found;
    if (now < entry.validFrom || (entry.validTo !== null && now > entry.validTo)) {
      throw new CodeError('UNTRUSTED_KEY', `key ${kid} is not valid now`);
    }
    const retiredAt = entry.retiredAt ?? null;
    if (retiredAt !== null && (signedAt === undefined || signedAt > retiredAt)) {
      throw new CodeError('UNTRUSTED_KEY', `key ${kid} was retired before this was signed`);
    }
    if (entry.role !== need.role) throw new CodeError('UNTRUSTED_KEY', `key ${kid} is a ${entry.role} key, not ${need.role}`);
    if (need.province !== undefined && entry.province !== need.province) {
      throw new CodeError('UNTRUSTED_KEY', `key ${kid} may not sign for province ${need.province}`);
    }
    return key;
  }

  /** Open a document (such as the policy) signed by a key of this list with the given role. */
  openSigned<T>(doc: SignedDocument, role: KeyRole, now: number, open: (key: KeyObject) => T, province?: number | null): T {
    let key: KeyObject;
    try {
      key = this.keyFor(doc.kid, province === undefined ? { role } : { role, province }, now);
    } catch (err) {
      throw new DocumentError('BAD_SIGNATURE', (err as Error).message);
    }
    return open(key);
  }
}
