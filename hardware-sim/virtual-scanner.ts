import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import type { SimDevice } from './keyboard-wedge.js';
import { PtyPair } from './pty-pair.js';

export type SimSuffix = 'cr' | 'lf' | 'crlf';
export const SUFFIX_BYTES: Record<SimSuffix, string> = { cr: '\r', lf: '\n', crlf: '\r\n' };

export interface ScanOptions {
  /** Line end written after the payload (default: the scanner's). */
  suffix?: SimSuffix;
  /** AIM prefix: true for ']Q1', a string for another, false for none (default: the scanner's). */
  aim?: boolean | string;
  /** Pace like a UART at this baud rate (10 bits a byte); null = full speed (default: the scanner's). */
  baudRate?: number | null;
}

export interface VirtualScannerOptions extends ScanOptions {
  /** Path the station opens. */
  stationPath: string;
  /** Path this emulated scanner writes to (the other end of the pty pair). */
  devicePath: string;
  socat?: string;
  /** Feedback bytes kept for received(); older bytes are dropped (default 64 KiB). */
  receiveLimit?: number;
  /** Time between the last byte sent and the cable coming out on unplug(), ms (default 100). */
  unplugGraceMs?: number;
}

/** Paths for scanner `name` in `dir`: the station opens `<dir>/<name>`, the emulator writes `<dir>/<name>.device`. */
export function simPaths(dir: string, name: string): { stationPath: string; devicePath: string } {
  return { stationPath: join(dir, name), devicePath: join(dir, `${name}.device`) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An emulated serial QR scanner at the far end of a socat pty pair. It writes reads as a real scanner
 * does (payload, optional AIM prefix, suffix; at full speed or paced by a baud rate), noise, and
 * repeated reads; unplug() makes the station's path vanish and replug() brings it back at the same
 * path. What the station writes back (host-ACK feedback) is kept and emitted as 'received'.
 */
export class VirtualScanner extends EventEmitter implements SimDevice {
  readonly kind = 'serial';
  readonly pair: PtyPair;
  private readonly defaults: Required<ScanOptions>;
  private readonly receiveLimit: number;
  private port: SerialPort | null = null;
  private inbox: Buffer = Buffer.alloc(0);
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly opts: VirtualScannerOptions) {
    super();
    this.pair = new PtyPair({ stationPath: opts.stationPath, devicePath: opts.devicePath, ...(opts.socat ? { socat: opts.socat } : {}) });
    this.defaults = { suffix: opts.suffix ?? 'cr', aim: opts.aim ?? false, baudRate: opts.baudRate ?? null };
    this.receiveLimit = opts.receiveLimit ?? 65_536;
  }

  /** Create and plug in. */
  static async start(opts: VirtualScannerOptions): Promise<VirtualScanner> {
    const scanner = new VirtualScanner(opts);
    await scanner.replug();
    return scanner;
  }

  get stationPath(): string {
    return this.opts.stationPath;
  }

  get devicePath(): string {
    return this.opts.devicePath;
  }

  get plugged(): boolean {
    return this.port !== null;
  }

  /** One read: `[AIM prefix]payload suffix`. */
  scan(payload: string | Uint8Array, opts: ScanOptions = {}): Promise<void> {
    const o = { ...this.defaults, ...opts };
    const aim = o.aim === true ? ']Q1' : o.aim || '';
    const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
    return this.write(Buffer.concat([Buffer.from(aim, 'latin1'), body, Buffer.from(SUFFIX_BYTES[o.suffix], 'latin1')]), o.baudRate);
  }

  /** The same read n times, as a presentation-mode scanner does with a code held in front of it. */
  async repeat(payload: string | Uint8Array, n: number, opts: ScanOptions & { intervalMs?: number } = {}): Promise<void> {
    for (let i = 0; i < n; i++) {
      await this.scan(payload, opts);
      if (opts.intervalMs && i < n - 1) await sleep(opts.intervalMs);
    }
  }

  /** Noise: the given bytes, or that many random bytes. Returns what was written. */
  async garbage(bytes: number | Uint8Array, opts: { baudRate?: number | null } = {}): Promise<Buffer> {
    const data = typeof bytes === 'number' ? randomBytes(bytes) : Buffer.from(bytes);
    await this.write(data, opts.baudRate === undefined ? this.defaults.baudRate : opts.baudRate);
    return data;
  }

  /** Raw bytes to the station, in order with every other write. */
  write(data: Uint8Array, baudRate: number | null = null): Promise<void> {
    const next = this.writing.then(() => this.send(Buffer.from(data), baudRate));
    this.writing = next.catch(() => {});
    return next;
  }

  /** Everything the station wrote back so far (up to receiveLimit bytes, newest kept). */
  /** The scanner's line end alone: a line in progress (e.g. garbage) ends now. */
  terminate(): Promise<void> {
    return this.write(Buffer.from(SUFFIX_BYTES[this.defaults.suffix], 'latin1'));
  }

  received(): Buffer {
    return Buffer.from(this.inbox);
  }

  clearReceived(): void {
    this.inbox = Buffer.alloc(0);
  }

  /** Resolve once received() holds at least `count` bytes. */
  waitForReceived(count: number, timeoutMs = 5000): Promise<Buffer> {
    if (this.inbox.length >= count) return Promise.resolve(this.received());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('received', on);
        reject(new Error(`received ${this.inbox.length} of ${count} bytes within ${timeoutMs} ms`));
      }, timeoutMs);
      const on = () => {
        if (this.inbox.length < count) return;
        clearTimeout(timer);
        this.off('received', on);
        resolve(this.received());
      };
      this.on('received', on);
    });
  }

  /** The USB cable out: the station's path vanishes. */
  async unplug(): Promise<void> {
    await this.writing;
    // A real scanner's last read is long delivered when a hand pulls the cable; killing socat at once
    // would also destroy bytes socat relayed but the station had not read yet.
    if (this.port) await sleep(this.opts.unplugGraceMs ?? 100);
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await this.pair.stop();
  }

  /** The cable back in: the same paths return. */
  async replug(): Promise<void> {
    if (this.port) return;
    await this.pair.start();
    // lock:false so `npm run sim -- scan --path` can write to a device end this process holds open.
    const port = new SerialPort({ path: this.devicePath, baudRate: 115_200, autoOpen: false, lock: false });
    port.on('error', (err) => this.emit('warning', err));
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', (chunk: Buffer) => {
      const all = Buffer.concat([this.inbox, chunk]);
      this.inbox = all.length > this.receiveLimit ? all.subarray(all.length - this.receiveLimit) : all;
      this.emit('received', chunk);
    });
    this.port = port;
  }

  /** Unplug for good. */
  async stop(): Promise<void> {
    await this.unplug();
  }

  private async send(data: Buffer, baudRate: number | null): Promise<void> {
    const port = this.port;
    if (!port) throw new Error(`scanner at ${this.stationPath} is unplugged`);
    if (baudRate === null) return writeAll(port, data);
    // A UART sends 10 bits a byte (start, 8 data, stop): release bytes as their time comes.
    const bytesPerMs = baudRate / 10 / 1000;
    const t0 = performance.now();
    let sent = 0;
    while (sent < data.length) {
      const due = Math.min(data.length, Math.max(sent + 1, Math.floor((performance.now() - t0) * bytesPerMs)));
      await writeAll(port, data.subarray(sent, due));
      sent = due;
      const wait = sent / bytesPerMs - (performance.now() - t0);
      if (sent < data.length && wait > 0) await sleep(Math.max(1, wait));
    }
  }
}

function writeAll(port: SerialPort, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(data, (err) => {
      if (err) reject(err);
      else port.drain((e) => (e ? reject(e) : resolve()));
    });
  });
}
