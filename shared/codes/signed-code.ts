import { sign, verify, type KeyObject } from 'node:crypto';
import { encode } from 'cbor2';
import { base45Decode, base45Encode } from './base45.js';
import { readCanonical } from './cbor-reader.js';
import { CodeError } from './errors.js';
import { arrayOf, bytes } from './fields.js';

/**
 * The envelope every printed code shares: `<PREFIX><base45(cbor([kid, body, sig]))>`.
 * The prefix names the kind and its version; the signature covers prefix, kid and body, so a code of
 * one kind can never be replayed as another. Base45 keeps the text in QR alphanumeric mode.
 */
export const CODE_PREFIXES = { pass: 'VNP1:', health: 'VNH1:' } as const;
export type CodeKind = keyof typeof CODE_PREFIXES;

const KNOWN_FAMILIES: Record<string, CodeKind> = { VNP: 'pass', VNH: 'health' };
const PREFIX_SHAPE = /^(VN[A-Z])(\d{1,3}):/;
export const MAX_CODE_CHARS = 600;
const MAX_BODY_BYTES = 320;
const KID_BYTES = 4;
const SIG_BYTES = 64;

export interface SignedCode {
  kind: CodeKind;
  kid: string;
  body: Uint8Array;
  sig: Uint8Array;
}

function signedBytes(kind: CodeKind, kid: Uint8Array, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(CODE_PREFIXES[kind], 'ascii'), kid, body]);
}

/**
 * Strict canonical CBOR of the subset codes use (cbor-reader.ts): anything a canonical encoder would
 * not have written is refused as UNKNOWN_FORMAT.
 */
export function decodeCanonical(data: Uint8Array, what: string): unknown {
  return readCanonical(data, what);
}

export function encodeCanonical(value: unknown): Uint8Array {
  return encode(value, { cde: true });
}

export function signCode(kind: CodeKind, body: Uint8Array, kidHex: string, privateKey: KeyObject): string {
  const kid = Buffer.from(kidHex, 'hex');
  if (kid.length !== KID_BYTES) throw new Error('kid must be 4 bytes');
  if (body.length > MAX_BODY_BYTES) throw new Error(`code body is ${body.length} bytes, over ${MAX_BODY_BYTES}`);
  const sig = sign(null, signedBytes(kind, kid, body), privateKey);
  // Plain Uint8Arrays: cbor2 would tag a Node Buffer as a typed array.
  return CODE_PREFIXES[kind] + base45Encode(encodeCanonical([Uint8Array.from(kid), body, Uint8Array.from(sig)]));
}

/** Parse the envelope without checking the signature (the trust list does that). */
export function parseSignedCode(text: string): SignedCode {
  if (text.length > MAX_CODE_CHARS) throw new CodeError('UNKNOWN_FORMAT', `code is ${text.length} chars, over ${MAX_CODE_CHARS}`);
  const m = PREFIX_SHAPE.exec(text);
  const family = m ? KNOWN_FAMILIES[m[1]!] : undefined;
  if (!m || !family) throw new CodeError('UNKNOWN_FORMAT', 'not a pass or health code');
  if (text.slice(0, m[0].length) !== CODE_PREFIXES[family]) {
    throw new CodeError('UNKNOWN_FORMAT', `unknown ${family} code version ${m[2]}`);
  }
  let raw: Uint8Array;
  try {
    raw = base45Decode(text.slice(m[0].length));
  } catch (err) {
    throw new CodeError('UNKNOWN_FORMAT', (err as Error).message);
  }
  const [kid, body, sig] = arrayOf(decodeCanonical(raw, 'envelope'), 'envelope', 3, 3);
  return {
    kind: family,
    kid: hex(bytes(kid, 'kid', KID_BYTES, KID_BYTES)),
    body: bytes(body, 'body', 1, MAX_BODY_BYTES),
    sig: bytes(sig, 'sig', SIG_BYTES, SIG_BYTES),
  };
}

/** hex of a view without copying it first */
function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}

export function verifySignedCode(code: SignedCode, publicKey: KeyObject): boolean {
  return verify(null, signedBytes(code.kind, Buffer.from(code.kid, 'hex'), code.body), publicKey, code.sig);
}
