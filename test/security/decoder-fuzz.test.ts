import { encode } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { base45Decode, base45Encode, Base45Error } from '../../shared/codes/base45.js';
import { CodeError } from '../../shared/codes/errors.js';
import { decodeHealthBody } from '../../shared/codes/health-code.js';
import { decodePassBody } from '../../shared/codes/pass-code.js';
import { readCode } from '../../shared/codes/read-code.js';
import { REASON_CODES } from '../../shared/rules/reasons.js';

const auth = createTestAuthority();
const now = Date.now();
const NUM_RUNS = 3000;

/** Decoders must answer every input with a result or a CodeError: never another exception, never a crash. */
describe('decoder fuzzing (fast-check)', () => {
  it('readCode: any string → a refusal with a known reason, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 700 }), fc.string({ unit: 'binary', maxLength: 300 })), (s) => {
        const r = readCode(s, auth.trust, now);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(REASON_CODES).toContain(r.reason);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('readCode: any bytes behind a valid prefix → refused, never a throw', () => {
    fc.assert(
      fc.property(fc.constantFrom('VNP1:', 'VNH1:'), fc.uint8Array({ maxLength: 400 }), (prefix, bytes) => {
        const r = readCode(prefix + base45Encode(bytes), auth.trust, now);
        expect(r.ok).toBe(false);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('body decoders: any CBOR value → a body or a CodeError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.string())), { maxLength: 14 })), (value) => {
        let bytes: Uint8Array;
        try {
          bytes = encode(value);
        } catch {
          return; // not encodable as CBOR: nothing to decode
        }
        for (const decodeBody of [decodePassBody, decodeHealthBody]) {
          try {
            decodeBody(bytes);
          } catch (err) {
            expect(err).toBeInstanceOf(CodeError);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('base45: decode(encode(x)) = x, and any other text is a Base45Error or decodes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      expect(base45Decode(base45Encode(b))).toEqual(b);
    }), { numRuns: NUM_RUNS });
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (s) => {
        try {
          base45Decode(s);
        } catch (err) {
          expect(err).toBeInstanceOf(Base45Error);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
