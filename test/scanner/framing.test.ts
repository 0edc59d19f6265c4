import { describe, expect, it } from 'vitest';
import { LineFramer, type FrameResult, type FramingOptions } from '../../station/scanner/framing.js';

const base: FramingOptions = { suffix: 'auto', maxLineLength: 64, aim: 'optional', allowedSymbologies: ['Q'] };
const framer = (o: Partial<FramingOptions> = {}) => new LineFramer({ ...base, ...o });
const bytes = (s: string) => Buffer.from(s, 'utf8');
const payloads = (rs: FrameResult[]) => rs.map((r) => (r.kind === 'payload' ? r.payload : `!${r.cause}`));

function feedAll(f: LineFramer, chunks: (string | Uint8Array)[]): FrameResult[] {
  return chunks.flatMap((c) => f.push(typeof c === 'string' ? bytes(c) : c));
}

describe('LineFramer', () => {
  it('assembles a payload arriving byte by byte', () => {
    const f = framer({ suffix: 'cr' });
    const out: FrameResult[] = [];
    for (const b of bytes('VNP1:ABC 123\r')) out.push(...f.push(Uint8Array.of(b)));
    expect(out).toEqual([{ kind: 'payload', payload: 'VNP1:ABC 123', symbology: null }]);
    expect(f.bufferedBytes).toBe(0);
  });

  it('splits two payloads in one chunk and keeps the partial third', () => {
    const f = framer({ suffix: 'lf' });
    expect(payloads(f.push(bytes('ONE\nTWO\nTHR')))).toEqual(['ONE', 'TWO']);
    expect(f.bufferedBytes).toBe(3);
    expect(payloads(f.push(bytes('EE\n')))).toEqual(['THREE']);
  });

  it('treats a CRLF split across chunks as one terminator (crlf and auto)', () => {
    for (const suffix of ['crlf', 'auto'] as const) {
      const f = framer({ suffix });
      expect(payloads(feedAll(f, ['AAA\r', '\nBBB\r', '\n']))).toEqual(['AAA', 'BBB']);
      expect(f.bufferedBytes).toBe(0);
    }
  });

  it('in crlf mode a lone CR is data, not a line end', () => {
    const f = framer({ suffix: 'crlf' });
    expect(feedAll(f, ['A\rB\r\n'])).toEqual([{ kind: 'unreadable', cause: 'CONTROL_CHARS', detail: 'control character 0x0d at position 1' }]);
  });

  it('reads CR-only input with auto, and ignores the empty lines of mixed terminators', () => {
    const f = framer({ suffix: 'auto' });
    expect(payloads(feedAll(f, ['X1\rX2\r', '\r\n\nX3\n']))).toEqual(['X1', 'X2', 'X3']);
  });

  it('a CR-only scanner read as LF-only gives nothing until an LF', () => {
    const f = framer({ suffix: 'lf' });
    expect(feedAll(f, ['A\rB\r'])).toEqual([]);
  });

  it('reports an overlong line once, discards its rest, then reads the next line', () => {
    const f = framer({ maxLineLength: 16 });
    const out = feedAll(f, ['x'.repeat(10), 'y'.repeat(100), 'z'.repeat(1000), '\rGOOD\r']);
    expect(payloads(out)).toEqual(['!LINE_TOO_LONG', 'GOOD']);
    expect(f.peakBufferedBytes).toBeLessThanOrEqual(16);
  });

  it('accepts a line of exactly maxLineLength bytes', () => {
    const f = framer({ maxLineLength: 16 });
    expect(payloads(f.push(bytes('a'.repeat(16) + '\n')))).toEqual(['a'.repeat(16)]);
  });

  it('reports bytes that are not UTF-8 and keeps reading', () => {
    const f = framer();
    const out = feedAll(f, [Uint8Array.of(0x41, 0xff, 0xfe, 0x0d), 'OK\r', Uint8Array.of(0xe1, 0xba), Uint8Array.of(0xa1, 0x0d)]);
    expect(payloads(out)).toEqual(['!NOT_UTF8', 'OK', 'ạ']);
  });

  it('reports control characters and ignores empty lines', () => {
    const f = framer();
    expect(payloads(feedAll(f, ['\r\r\n\n', 'A\x07B\r', 'A\tB\r']))).toEqual(['!CONTROL_CHARS', '!CONTROL_CHARS']);
  });

  it('survives noise: random bytes never throw and memory stays within the line buffer', () => {
    const f = framer({ maxLineLength: 32 });
    let seed = 7;
    const noise = new Uint8Array(200_000).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    for (let i = 0; i < noise.length; i += 777) f.push(noise.subarray(i, i + 777));
    expect(f.peakBufferedBytes).toBeLessThanOrEqual(32);
    expect(payloads(f.push(bytes('\rVALID\r')))).toContain('VALID');
  });

  describe('AIM prefix', () => {
    it('strips an allowed prefix and reports the symbology', () => {
      expect(framer().push(bytes(']Q1VNP1:X\r'))).toEqual([{ kind: 'payload', payload: 'VNP1:X', symbology: ']Q1' }]);
    });
    it('rejects a symbology that is not allowed', () => {
      const [r] = framer().push(bytes(']C0CODE128\r'));
      expect(r).toMatchObject({ kind: 'unreadable', cause: 'SYMBOLOGY_NOT_ALLOWED' });
    });
    it('optional passes an unprefixed payload; required rejects it', () => {
      expect(payloads(framer({ aim: 'optional' }).push(bytes('PLAIN\r')))).toEqual(['PLAIN']);
      expect(payloads(framer({ aim: 'required' }).push(bytes('PLAIN\r')))).toEqual(['!SYMBOLOGY_NOT_ALLOWED']);
    });
    it('none keeps the prefix as data', () => {
      expect(framer({ aim: 'none' }).push(bytes(']Q1X\r'))).toEqual([{ kind: 'payload', payload: ']Q1X', symbology: null }]);
    });
    it('an empty allowed list accepts any symbology; a prefix alone is EMPTY', () => {
      expect(payloads(framer({ allowedSymbologies: [] }).push(bytes(']d2DM\r')))).toEqual(['DM']);
      expect(payloads(framer().push(bytes(']Q1\r')))).toEqual(['!EMPTY']);
    });
  });
});
