import type { KeyObject } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { CodeError } from '../codes/errors.js';
import { publicKeyFromRaw, type SigningKey } from '../codes/keys.js';
import { DocumentError, openDocument, signDocument, type SignedDocument } from './signed-document.js';

export const KEY_ROLES = ['transport', 'health', 'policy'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

export const TrustedKeySchema = Type.Object(
  {
    kid: Type.String({ pattern: '^[0-9a-f]{8}$' }),
    role: Type.Union(KEY_ROLES.map((r) => Type.Literal(r))),
    /** For transport keys: the province whose passes the key may sign. */
    province: Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 99 })]),
    publicKey: Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]+$' }),
    validFrom: Type.Integer({ minimum: 0 }),
    validTo: Type.Union([Type.Null(), Type.Integer({ minimum: 0 })]),
  },
  { additionalProperties: false },
);
export type TrustedKey = Static<typeof TrustedKeySchema>;

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
  /** required for transport keys */
  province?: number;
}

/** The verified set of issuer keys. Built only from a document that the root key signed. */
export class TrustList {
  private readonly keys = new Map<string, { entry: TrustedKey; key: KeyObject }>();

  private constructor(readonly body: TrustListBody, readonly document: SignedDocument) {
    for (const entry of body.keys) this.keys.set(entry.kid, { entry, key: publicKeyFromRaw(Buffer.from(entry.publicKey, 'base64url')) });
  }

  static open(document: SignedDocument, rootPublicKey: KeyObject): TrustList {
    return new TrustList(openDocument(document, rootPublicKey, TrustListBodySchema), document);
  }

  static sign(body: TrustListBody, root: SigningKey): SignedDocument {
    return signDocument(body, root);
  }

  get version(): number {
    return this.body.version;
  }

  /** The key for `kid` if it is known, valid at `now` and allowed to sign what `need` says; else a CodeError. */
  keyFor(kid: string, need: KeyRequirement, now: number): KeyObject {
    const found = this.keys.get(kid);
    if (!found) throw new CodeError('UNTRUSTED_KEY', `unknown key ${kid}`);
    const { entry, key } = found;
    if (now < entry.validFrom || (entry.validTo !== null && now > entry.validTo)) {
      throw new CodeError('UNTRUSTED_KEY', `key ${kid} is not valid now`);
    }
    if (entry.role !== need.role) throw new CodeError('UNTRUSTED_KEY', `key ${kid} is a ${entry.role} key, not ${need.role}`);
    if (need.province !== undefined && entry.province !== need.province) {
      throw new CodeError('UNTRUSTED_KEY', `key ${kid} may not sign for province ${need.province}`);
    }
    return key;
  }

  /** Open a document (such as the policy) signed by a key of this list with the given role. */
  openSigned<T>(doc: SignedDocument, role: KeyRole, now: number, open: (key: KeyObject) => T): T {
    let key: KeyObject;
    try {
      key = this.keyFor(doc.kid, { role }, now);
    } catch (err) {
      throw new DocumentError('BAD_SIGNATURE', (err as Error).message);
    }
    return open(key);
  }
}

export function trustedKeyEntry(key: SigningKey, role: KeyRole, province: number | null, validFrom: number, validTo: number | null): TrustedKey {
  return { kid: key.kid, role, province, publicKey: key.publicKeyB64, validFrom, validTo };
}
