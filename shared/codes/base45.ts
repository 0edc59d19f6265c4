/**
 * Base45 (RFC 9285), the alphabet of QR alphanumeric mode, so a signed binary code fits a small QR.
 * Written here rather than taken from npm because the published decoders accept invalid characters
 * and out-of-range triplets silently; a forged code must fail here with a clear error.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

export class Base45Error extends Error {
  readonly code = 'BASE45_INVALID';
}

export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i]! * 256 + bytes[i + 1]!;
    const c = n % 45; n = (n - c) / 45;
    const d = n % 45; const e = (n - d) / 45;
    out += ALPHABET[c]! + ALPHABET[d]! + ALPHABET[e]!;
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1]!;
    out += ALPHABET[n % 45]! + ALPHABET[Math.floor(n / 45)]!;
  }
  return out;
}

export function base45Decode(text: string): Uint8Array {
  if (text.length % 3 === 1) throw new Base45Error('base45 length is invalid');
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const chunk = Math.min(3, text.length - i);
    let n = 0;
    for (let k = chunk - 1; k >= 0; k--) {
      const ch = text.charCodeAt(i + k);
      const v = ch < 128 ? VALUE[ch]! : -1;
      if (v < 0) throw new Base45Error(`invalid base45 character at ${i + k}`);
      n = n * 45 + v;
    }
    if (chunk === 3) {
      if (n > 0xffff) throw new Base45Error(`base45 triplet out of range at ${i}`);
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      if (n > 0xff) throw new Base45Error(`base45 pair out of range at ${i}`);
      out[o++] = n;
    }
  }
  return out;
}
