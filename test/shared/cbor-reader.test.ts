import { decode, encode } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { base45Decode } from '../../shared/codes/base45.js';
import { readCanonical, type CodeValue } from '../../shared/codes/cbor-reader.js';
import { CodeError } from '../../shared/codes/errors.js';

const NUM_RUNS = 3000;
const STRICT = { cde: true, rejectStreaming: true, rejectUndefined: true, rejectSimple: true } as const;

function isCodeValue(v: unknown, depth = 0): v is CodeValue {
  if (v === null || typeof v === 'string' || v instanceof Uint8Array) return true;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 && !Object.is(v, -0);
  if (Array.isArray(v)) return depth < 4 && v.every((x) => isCodeValue(x, depth + 1));
  return false;
}

/** What the reader replaced: a general strict decoder, then a byte-exact canonical re-encode, then the subset. */
function reference(bytes: Uint8Array): { ok: true; value: CodeValue } | { ok: false } {
  let value: unknown;
  try {
    value = decode(bytes, STRICT);
    if (Buffer.compare(encode(value, { cde: true }), bytes) !== 0) return { ok: false };
  } catch {
    return { ok: false };
  }
  return isCodeValue(value) ? { ok: true, value } : { ok: false };
}

function ours(bytes: Uint8Array): { ok: true; value: CodeValue } | { ok: false } {
  try {
    return { ok: true, value: readCanonical(bytes, 'test') };
  } catch (err) {
    expect(err).toBeInstanceOf(CodeError);
    expect((err as CodeError).reason).toBe('UNKNOWN_FORMAT');
    return { ok: false };
  }
}

/** Byte strings come back as views; compare contents. */
const plain = (v: unknown): unknown => (v instanceof Uint8Array ? [...v] : Array.isArray(v) ? v.map(plain) : v);

function agree(bytes: Uint8Array): void {
  const want = reference(bytes);
  const got = ours(bytes);
  expect(got.ok, `bytes ${Buffer.from(bytes).toString('hex')}`).toBe(want.ok);
  if (got.ok && want.ok) expect(plain(got.value)).toEqual(plain(want.value));
}

const codeValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.constant(null),
    fc.oneof(fc.nat(30), fc.nat(300), fc.nat(70_000), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc.uint8Array({ maxLength: 70 }),
  ),
  value: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('value'), { maxLength: 14 })),
})).value;

describe('readCanonical: the same answers as cbor2 decode + canonical re-encode, for the values codes hold', () => {
  it('any value of the subset, encoded canonically, reads back equal', () => {
    fc.assert(fc.property(codeValue, (v) => agree(encode(v, { cde: true }))), { numRuns: NUM_RUNS });
  });

  it('any bytes: accepted and read alike, or refused by both', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), agree), { numRuns: NUM_RUNS });
  });

  it('a canonical encoding with one byte changed, inserted or cut: the same verdict as the reference', () => {
    const mutated = fc.tuple(codeValue, fc.nat(), fc.nat(255), fc.constantFrom('set', 'insert', 'cut')).map(([v, at, byte, how]) => {
      const b = [...encode(v, { cde: true })];
      const i = at % (b.length + 1);
      if (how === 'set' && i < b.length) b[i] = byte;
      else if (how === 'insert') b.splice(i, 0, byte);
      else b.splice(i, 1);
      return Uint8Array.from(b);
    });
    fc.assert(fc.property(mutated, agree), { numRuns: NUM_RUNS });
  });

  it('values outside the subset (maps, negatives, floats, booleans, tags, big integers) are refused', () => {
    for (const v of [{ a: 1 }, -1, 1.5, true, false, new Map([[1, 2]]), 2n ** 64n, [1, { a: 1 }], [[[[[1]]]]]]) {
      expect(ours(encode(v, { cde: true })).ok, String(v)).toBe(false);
    }
    fc.assert(fc.property(fc.anything(), (v) => {
      let bytes: Uint8Array;
      try {
        bytes = encode(v, { cde: true });
      } catch {
        return;
      }
      agree(bytes);
    }), { numRuns: NUM_RUNS });
  });

  it('non-shortest arguments, indefinite lengths and trailing bytes are refused', () => {
    for (const hex of ['1817', '190017', '1a0000ffff', '1b00000000ffffffff', '9f01ff', '5f4101ff', '0100', '8201', '62c328']) {
      expect(ours(Buffer.from(hex, 'hex')).ok, hex).toBe(false);
    }
  });

  it('the envelopes of real codes read as [kid, body, sig]', () => {
    const auth = createTestAuthority();
    const pass = auth.issuePass({ passId: 17, plate: '51C-123.45', company: 'X', goods: 0, crew: [{ citizenId: '079200000001', name: 'A' }], validFrom: 0, validTo: null, routeCheckpoints: [7901], originZone: '79', issuedAt: 1_000_000 });
    const raw = base45Decode(pass.code.slice(5));
    agree(raw);
    const env = readCanonical(raw, 'envelope') as Uint8Array[];
    expect(env.map((x) => x.length)).toEqual([4, env[1]!.length, 64]);
    agree(env[1]!);
  });
});
