import { sign, verify, type KeyObject } from 'node:crypto';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { SigningKey } from '../codes/keys.js';

/**
 * A JSON document signed as the exact string that travels (no re-serialisation ambiguity):
 * trust lists (signed by the root key) and policies (signed by a `policy` key).
 */
export const SignedDocumentSchema = Type.Object(
  {
    kid: Type.String({ minLength: 1, maxLength: 16 }),
    body: Type.String({ minLength: 2, maxLength: 1_000_000 }),
    sig: Type.String({ minLength: 86, maxLength: 86, pattern: '^[A-Za-z0-9_-]+$' }),
  },
  { additionalProperties: false },
);
export type SignedDocument = Static<typeof SignedDocumentSchema>;

export class DocumentError extends Error {
  constructor(readonly code: 'BAD_SIGNATURE' | 'INVALID_DOCUMENT', message: string) {
    super(message);
    this.name = 'DocumentError';
  }
}

const DOMAIN = 'checkpoint-signed-document:v1\n';

export function signDocument(body: unknown, key: SigningKey): SignedDocument {
  const text = JSON.stringify(body);
  const sig = sign(null, Buffer.from(DOMAIN + text), key.privateKey).toString('base64url');
  return { kid: key.kid, body: text, sig };
}

/** Verify then parse and validate; never returns an unverified or ill-shaped body. */
export function openDocument<S extends TSchema>(doc: SignedDocument, publicKey: KeyObject, schema: S): Static<S> {
  if (!Value.Check(SignedDocumentSchema, doc)) throw new DocumentError('INVALID_DOCUMENT', 'not a signed document');
  const ok = verify(null, Buffer.from(DOMAIN + doc.body), publicKey, Buffer.from(doc.sig, 'base64url'));
  if (!ok) throw new DocumentError('BAD_SIGNATURE', 'document signature does not verify');
  let body: unknown;
  try {
    body = JSON.parse(doc.body);
  } catch {
    throw new DocumentError('INVALID_DOCUMENT', 'document body is not JSON');
  }
  if (!Value.Check(schema, body)) {
    const first = Value.Errors(schema, body).First();
    throw new DocumentError('INVALID_DOCUMENT', `document body invalid at ${first?.path ?? '/'}: ${first?.message ?? ''}`);
  }
  return body as Static<S>;
}
