import type { UnreadableCause } from './scanner-port.js';
import type { AimMode, Suffix } from './config.js';

export interface FramingOptions {
  suffix: Suffix;
  /** Longest line kept, in bytes, AIM prefix included; the line buffer never grows past it. */
  maxLineLength: number;
  aim: AimMode;
  /** AIM symbology letters accepted ('Q' for QR); empty accepts any. */
  allowedSymbologies: readonly string[];
}

export type FrameResult =
  | { kind: 'payload'; payload: string; symbology: string | null }
  | { kind: 'unreadable'; cause: UnreadableCause; detail: string };

const CR = 0x0d;
const LF = 0x0a;
const AIM_FLAG = ']';

/**
 * Bytes from a scanner into lines, fed chunk by chunk however the bytes were split in transit.
 * Pure and synchronous: `push` returns what the chunk completed. Memory is one fixed buffer of
 * `maxLineLength` bytes: a longer line is reported once and the rest of it discarded up to the next
 * terminator, so a line with no end (or noise at the wrong baud rate) cannot grow anything.
 */
export class LineFramer {
  private readonly buf: Buffer;
  private len = 0;
  /** An overlong line was reported; drop bytes until the next terminator. */
  private discarding = false;
  /** `crlf`: a CR was seen and the next byte decides whether it ends the line. */
  private pendingCR = false;
  /** `auto`: a CR ended the line, so an LF right after it is the same terminator. */
  private skipLF = false;
  private peak = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly allowed: ReadonlySet<string>;

  constructor(private readonly opts: FramingOptions) {
    if (!Number.isInteger(opts.maxLineLength) || opts.maxLineLength < 1) throw new RangeError('maxLineLength must be a positive integer');
    this.buf = Buffer.alloc(opts.maxLineLength);
    this.allowed = new Set(opts.allowedSymbologies.map((s) => s.toUpperCase()));
  }

  /** Bytes held for an unfinished line. */
  get bufferedBytes(): number {
    return this.len + (this.pendingCR ? 1 : 0);
  }

  /** The most bytes ever held at once (never above maxLineLength). */
  get peakBufferedBytes(): number {
    return this.peak;
  }

  /** Forget any partial line, e.g. after the device was unplugged mid-line. */
  reset(): void {
    this.len = 0;
    this.discarding = false;
    this.pendingCR = false;
    this.skipLF = false;
  }

  push(chunk: Uint8Array): FrameResult[] {
    const out: FrameResult[] = [];
    const suffix = this.opts.suffix;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.skipLF) {
        this.skipLF = false;
        if (b === LF) continue;
      }
      if (suffix === 'crlf') {
        if (this.pendingCR) {
          this.pendingCR = false;
          if (b === LF) {
            this.endLine(out);
            continue;
          }
          this.append(CR, out);
        }
        if (b === CR) this.pendingCR = true;
        else this.append(b, out);
        continue;
      }
      if ((b === CR && suffix !== 'lf') || (b === LF && suffix !== 'cr')) {
        this.endLine(out);
        if (b === CR && suffix === 'auto') this.skipLF = true;
        continue;
      }
      this.append(b, out);
    }
    if (this.bufferedBytes > this.peak) this.peak = Math.min(this.bufferedBytes, this.buf.length);
    return out;
  }

  /**
   * One read that arrived whole (the officer screen posts one read a request): the same checks as a
   * line from a device, with a CR or LF inside it reported as a control character, not split.
   */
  line(bytes: Uint8Array): FrameResult | null {
    if (bytes.length > this.buf.length) return { kind: 'unreadable', cause: 'LINE_TOO_LONG', detail: `read longer than ${this.buf.length} bytes` };
    if (bytes.length === 0) return null;
    return this.interpret(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  private append(b: number, out: FrameResult[]): void {
    if (this.discarding) return;
    if (this.len >= this.buf.length) {
      out.push({ kind: 'unreadable', cause: 'LINE_TOO_LONG', detail: `line longer than ${this.buf.length} bytes; discarded up to the next line end` });
      this.discarding = true;
      this.len = 0;
      return;
    }
    this.buf[this.len++] = b;
    if (this.len > this.peak) this.peak = this.len;
  }

  private endLine(out: FrameResult[]): void {
    const len = this.len;
    this.len = 0;
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    if (len === 0) return; // empty lines (e.g. a CR LF pair read as two terminators by a misconfigured scanner) mean nothing
    const result = this.interpret(this.buf.subarray(0, len));
    if (result) out.push(result);
  }

  private interpret(bytes: Buffer): FrameResult | null {
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      return { kind: 'unreadable', cause: 'NOT_UTF8', detail: `${bytes.length} bytes that are not valid UTF-8` };
    }
    const control = findControl(text);
    if (control >= 0) {
      const code = text.charCodeAt(control).toString(16).padStart(2, '0');
      return { kind: 'unreadable', cause: 'CONTROL_CHARS', detail: `control character 0x${code} at position ${control}` };
    }
    return this.stripAim(text);
  }

  private stripAim(text: string): FrameResult | null {
    const mode = this.opts.aim;
    if (mode === 'none') return { kind: 'payload', payload: text, symbology: null };
    const hasPrefix = text.length >= 3 && text[0] === AIM_FLAG;
    if (!hasPrefix) {
      if (mode === 'required') return { kind: 'unreadable', cause: 'SYMBOLOGY_NOT_ALLOWED', detail: 'no AIM symbology prefix (expected e.g. ]Q1)' };
      return { kind: 'payload', payload: text, symbology: null };
    }
    const symbology = text.slice(0, 3);
    const letter = symbology[1]!.toUpperCase();
    if (this.allowed.size > 0 && !this.allowed.has(letter)) {
      return { kind: 'unreadable', cause: 'SYMBOLOGY_NOT_ALLOWED', detail: `symbology ${symbology} not allowed (allowed: ${[...this.allowed].join(', ')})` };
    }
    const payload = text.slice(3);
    if (payload.length === 0) return { kind: 'unreadable', cause: 'EMPTY', detail: `symbology ${symbology} with no data` };
    return { kind: 'payload', payload, symbology };
  }
}

/** Index of the first C0/C1 control character or DEL, or -1. */
function findControl(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) return i;
  }
  return -1;
}
