import { EventEmitter } from 'node:events';
import type { ScannerState } from '../../shared/contracts/heartbeat.js';
import type { ScannerConfig } from './config.js';
import { Debouncer } from './debounce.js';
import { LineFramer, type FrameResult } from './framing.js';
import type { FeedbackKind, ScanEvent, ScannerEvents, ScannerPort } from './scanner-port.js';

export type ScannerLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface ScannerStats {
  /** Lines that became scan events (payloads and unreadables). */
  emitted: number;
  /** Repeats dropped by the debounce window. */
  suppressed: number;
  unreadable: number;
  bufferedBytes: number;
  peakBufferedBytes: number;
  feedbackWritten: number;
  feedbackFailed: number;
}

export interface ScannerBaseOptions {
  clock?: () => number;
  log?: ScannerLog;
}

/**
 * What the serial and the simulated scanner share: bytes in → framing → debounce → typed `scan`
 * events, and the state a heartbeat reports. A listener that throws is logged, never propagated into
 * the I/O callbacks that fed the bytes: a scanner never crashes the process.
 */
export abstract class ScannerBase extends EventEmitter implements ScannerPort {
  readonly scannerId: string;
  readonly lane: string;
  readonly direction: 'entry' | 'exit';
  protected readonly clock: () => number;
  protected readonly log: ScannerLog;
  private readonly framer: LineFramer;
  private readonly debouncer: Debouncer;
  private current: ScannerState;
  /** Between start() and stop(); no event is emitted outside it. */
  protected running = false;
  protected counts = { emitted: 0, unreadable: 0, feedbackWritten: 0, feedbackFailed: 0 };

  protected constructor(readonly config: ScannerConfig, opts: ScannerBaseOptions = {}) {
    super();
    this.scannerId = config.id;
    this.lane = config.lane;
    this.direction = config.direction;
    this.clock = opts.clock ?? Date.now;
    this.log = opts.log ?? (() => {});
    this.framer = new LineFramer(config);
    this.debouncer = new Debouncer(config.debounceMs);
    this.current = { id: config.id, kind: config.kind, lane: config.lane, direction: config.direction, state: 'opening', path: config.path, lastReadAt: null };
    // An 'error' event with no listener would throw; scanners report problems through state and log instead.
    this.on('error', (err: unknown) => this.log('error', 'scanner error', { scanner: this.scannerId, error: String(err) }));
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract feedback(kind: FeedbackKind): Promise<void>;

  state(): ScannerState {
    return { ...this.current };
  }

  stats(): ScannerStats {
    return {
      ...this.counts,
      suppressed: this.debouncer.suppressed,
      bufferedBytes: this.framer.bufferedBytes,
      peakBufferedBytes: this.framer.peakBufferedBytes,
    };
  }

  override on<E extends keyof ScannerEvents>(event: E, listener: ScannerEvents[E]): this;
  override on(event: 'error', listener: (err: unknown) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  override off<E extends keyof ScannerEvents>(event: E, listener: ScannerEvents[E]): this;
  override off(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }

  /** Feed bytes read from the device. Never throws. */
  protected ingest(chunk: Uint8Array): void {
    let results: FrameResult[];
    try {
      results = this.framer.push(chunk);
    } catch (err) {
      this.log('error', 'framing failed', { scanner: this.scannerId, error: String(err) });
      return;
    }
    for (const r of results) this.deliver(r);
  }

  /** A read that arrived whole (not as a byte stream). Never throws. */
  protected ingestLine(text: string): void {
    const r = this.framer.line(Buffer.from(text, 'utf8'));
    if (r) this.deliver(r);
  }

  /** Drop a partial line, e.g. one cut by an unplug. */
  protected resetFraming(): void {
    this.framer.reset();
  }

  protected setState(state: ScannerState['state']): void {
    if (this.current.state === state) return;
    this.current = { ...this.current, state };
    this.safeEmit('state', this.state());
  }

  private deliver(r: FrameResult): void {
    const now = this.clock();
    this.current = { ...this.current, lastReadAt: now };
    // Noise repeats too: one unreadable per cause per window keeps a garbage burst from flooding the journal.
    const key = r.kind === 'payload' ? `p:${r.payload}` : `u:${r.cause}`;
    if (!this.debouncer.admit(key, now)) return;
    const id = { scannerId: this.scannerId, lane: this.lane, direction: this.direction };
    const event: ScanEvent =
      r.kind === 'payload'
        ? { ...id, kind: 'payload', payload: r.payload, symbology: r.symbology, receivedAt: now }
        : { ...id, kind: 'unreadable', cause: r.cause, detail: r.detail, receivedAt: now };
    this.counts.emitted++;
    if (r.kind === 'unreadable') this.counts.unreadable++;
    this.safeEmit('scan', event);
  }

  protected safeEmit<E extends keyof ScannerEvents>(event: E, ...args: Parameters<ScannerEvents[E]>): void {
    if (!this.running) return;
    for (const listener of this.listeners(event)) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (err) {
        this.log('error', `a '${event}' listener threw`, { scanner: this.scannerId, error: String(err) });
      }
    }
  }
}

/** Hex string from config → bytes. */
export function hexBytes(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}
