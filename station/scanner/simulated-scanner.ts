import type { ScannerConfig } from './config.js';
import { ScannerBase, type ScannerBaseOptions } from './scanner-base.js';
import type { FeedbackKind } from './scanner-port.js';

const SUFFIX_BYTES = { cr: '\r', lf: '\n', crlf: '\r\n' } as const;

/**
 * An in-process scanner with no serial port: bytes are fed by method calls and go through the same
 * framing and debounce as a real device. For the demo when socat is absent, and for fast tests.
 * Feedback commands are recorded (and emitted as 'feedback') instead of written.
 */
export class SimulatedScanner extends ScannerBase {
  private readonly feedbackLog: FeedbackKind[] = [];

  constructor(config: ScannerConfig, opts: ScannerBaseOptions = {}) {
    super(config, opts);
  }

  async start(): Promise<void> {
    this.running = true;
    this.setState('connected');
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  /** Raw bytes as if read from the device; ignored while stopped or unplugged. */
  inject(bytes: Uint8Array | string): void {
    if (!this.running || this.state().state !== 'connected') return;
    this.ingest(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  }

  /** A read of `payload` with a line end (default: this scanner's suffix, CR when `auto`) and an optional AIM prefix. */
  scan(payload: string, opts: { suffix?: 'cr' | 'lf' | 'crlf'; aim?: string | boolean } = {}): void {
    const suffix = opts.suffix ?? (this.config.suffix === 'auto' ? 'cr' : this.config.suffix);
    const aim = opts.aim === true ? ']Q1' : opts.aim || '';
    this.inject(aim + payload + SUFFIX_BYTES[suffix]);
  }

  unplug(): void {
    if (!this.running) return;
    this.resetFraming();
    this.setState('unplugged');
  }

  replug(): void {
    if (!this.running) return;
    this.setState('connected');
  }

  async feedback(kind: FeedbackKind): Promise<void> {
    if (this.config.feedback === null || !this.running || this.state().state !== 'connected') return;
    this.feedbackLog.push(kind);
    this.counts.feedbackWritten++;
    this.emit('feedback', kind);
  }

  /** Feedback commands received so far, oldest first. */
  feedbackReceived(): readonly FeedbackKind[] {
    return [...this.feedbackLog];
  }
}
