import { CodeError } from './errors.js';

/** The CBOR values a printed code holds: unsigned integers, text, byte strings, null and arrays of them. */
export type CodeValue = number | string | Uint8Array | null | CodeValue[];

const MAX_DEPTH = 4;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Read deterministically encoded CBOR (RFC 8949 §4.2.1: shortest arguments, definite lengths) of the
 * subset codes use, and refuse anything else: maps, tags, negative integers, floats, booleans,
 * indefinite lengths, non-shortest arguments, invalid UTF-8, trailing bytes. It accepts exactly the
 * inputs of that subset that a general decoder (cbor2, strict) reads and re-encodes byte for byte
 * (test/shared/cbor-reader.test.ts holds it to that), without a general decoder's garbage: on every
 * scan it allocates only the values it returns. Byte strings are views into `data`, not copies.
 */
export function readCanonical(data: Uint8Array, what: string): CodeValue {
  let pos = 0;
  const fail = (message: string): never => {
    throw new CodeError('UNKNOWN_FORMAT', `${what}: ${message}`);
  };
  /** the argument of the item whose initial byte's low five bits are `info` */
  const argument = (info: number): number => {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) fail(info === 31 ? 'indefinite length is not allowed' : `reserved additional information ${info}`);
    if (pos + size > data.length) fail('unexpected end of data');
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + data[pos++]!;
    // Shortest form only: each size is used only for what the one below cannot hold.
    const least = size === 1 ? 24 : size === 2 ? 0x100 : size === 4 ? 0x10000 : 0x100000000;
    if (value < least) fail('not in canonical encoding (argument not in its shortest form)');
    if (value > Number.MAX_SAFE_INTEGER) fail('integer too large');
    return value;
  };
  const item = (depth: number): CodeValue => {
    if (pos >= data.length) fail('unexpected end of data');
    const initial = data[pos++]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    switch (major) {
      case 0:
        return argument(info);
      case 2:
      case 3: {
        const length = argument(info);
        if (length > data.length - pos) fail('unexpected end of data');
        const bytes = data.subarray(pos, pos + length);
        pos += length;
        if (major === 2) return bytes;
        try {
          return utf8.decode(bytes);
        } catch {
          return fail('text is not valid UTF-8');
        }
      }
      case 4: {
        const length = argument(info);
        if (depth >= MAX_DEPTH) fail('arrays nested too deep');
        // Each item takes at least one byte: a longer count is a lie, refused before allocating for it.
        if (length > data.length - pos) fail('unexpected end of data');
        const out: CodeValue[] = new Array<CodeValue>(length);
        for (let i = 0; i < length; i++) out[i] = item(depth + 1);
        return out;
      }
      case 7:
        if (initial === 0xf6) return null;
        return fail(`simple value or float 0x${initial.toString(16)} is not used in codes`);
      default:
        return fail(`CBOR major type ${major} is not used in codes`);
    }
  };
  const value = item(0);
  if (pos !== data.length) fail(`${data.length - pos} trailing bytes`);
  return value;
}
