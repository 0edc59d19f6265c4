import type { KeyObject } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { SigningKey } from '../codes/keys.js';
import { DocumentError, openDocument, signDocument, SignedDocumentSchema, type SignedDocument } from './signed-document.js';
import { TrustedKeySchema } from './trusted-key.js';

/**
 * The national trust chain. The national root key (kept offline; `npm run national`) signs one
 * authority document per province, and one for the centre (province null): the province's issuer keys
 * (transport, health, policy), each with its role and validity window and, once rotated out, the time
 * it was retired. A station installed with the national root's public key verifies every document
 * itself; the central server only relays them (it never holds the national root's private key).
 */
export const AuthorityBodySchema = Type.Object(
  {
    type: Type.Literal('authority'),
    /** the province these keys act for; null: the centre (national baseline policy, national health keys) */
    province: Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 99 })]),
    /** grows with every re-issue for this province; a station never goes back to a lower one */
    version: Type.Integer({ minimum: 1 }),
    issuedAt: Type.Integer({ minimum: 0 }),
    keys: Type.Array(TrustedKeySchema, { maxItems: 64 }),
  },
  { additionalProperties: false },
);
export type AuthorityBody = Static<typeof AuthorityBodySchema>;

/** What travels to stations in place of a single root-signed trust list: every authority document. */
export const TrustChainSchema = Type.Object(
  {
    type: Type.Literal('trust-chain'),
    authorities: Type.Array(SignedDocumentSchema, { minItems: 1, maxItems: 100 }),
    /** the national baseline policy, signed by a policy key of the centre (province null); provinces may only be stricter */
    baseline: Type.Optional(SignedDocumentSchema),
  },
  { additionalProperties: false },
);
export type TrustChain = Static<typeof TrustChainSchema>;

/** The trust document a station keeps: a province's own root-signed list (one province alone) or the national chain. */
export const TrustDocumentSchema = Type.Union([SignedDocumentSchema, TrustChainSchema]);
export type TrustDocument = SignedDocument | TrustChain;

export function isTrustChain(doc: TrustDocument): doc is TrustChain {
  return (doc as { type?: unknown }).type === 'trust-chain';
}

export function signAuthority(body: AuthorityBody, nationalRoot: SigningKey): SignedDocument {
  checkAuthorityKeys(body);
  return signDocument(body, nationalRoot);
}

/** Verify one authority document with the national root: its signature, its shape, and that each key acts for its province. */
export function openAuthority(doc: SignedDocument, nationalRoot: KeyObject): AuthorityBody {
  const body = openDocument(doc, nationalRoot, AuthorityBodySchema);
  checkAuthorityKeys(body);
  return body;
}

function checkAuthorityKeys(body: AuthorityBody): void {
  const where = body.province === null ? 'the national authority' : `the authority of province ${body.province}`;
  for (const k of body.keys) {
    if (k.province !== body.province) {
      throw new DocumentError('INVALID_DOCUMENT', `${where} lists key ${k.kid} for province ${k.province ?? 'national'}`);
    }
    if (body.province === null && k.role === 'transport') {
      throw new DocumentError('INVALID_DOCUMENT', `${where} lists a transport key (${k.kid}): passes are issued by provinces`);
    }
  }
}

/**
 * Open every document of a chain, all or nothing: one that does not verify with the national root,
 * a province twice, or a key id twice refuses the whole chain.
 */
export function openTrustChain(chain: TrustChain, nationalRoot: KeyObject): AuthorityBody[] {
  if (!Value.Check(TrustChainSchema, chain)) throw new DocumentError('INVALID_DOCUMENT', 'not a trust chain');
  const out: AuthorityBody[] = [];
  const provinces = new Set<number | null>();
  const kids = new Set<string>();
  for (const [i, doc] of chain.authorities.entries()) {
    let body: AuthorityBody;
    try {
      body = openAuthority(doc, nationalRoot);
    } catch (err) {
      throw new DocumentError((err as DocumentError).code ?? 'BAD_SIGNATURE', `authority document ${i}: ${(err as Error).message}`);
    }
    if (provinces.has(body.province)) throw new DocumentError('INVALID_DOCUMENT', `authority document ${i}: province ${body.province ?? 'national'} appears twice`);
    provinces.add(body.province);
    for (const k of body.keys) {
      if (kids.has(k.kid)) throw new DocumentError('INVALID_DOCUMENT', `authority document ${i}: key ${k.kid} appears twice in the chain`);
      kids.add(k.kid);
    }
    out.push(body);
  }
  return out;
}
