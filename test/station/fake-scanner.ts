import { EventEmitter } from 'node:events';
import type { ScannerState } from '../../shared/contracts/heartbeat.js';
import type { FeedbackKind, ScanEvent, ScannerEvents, ScannerPort } from '../../station/scanner/scanner-port.js';

/** The smallest ScannerPort: tests push scan events in and read the feedback it was sent. */
export class FakeScanner extends EventEmitter implements ScannerPort {
  readonly feedbackLog: FeedbackKind[] = [];
  started = false;

  constructor(readonly scannerId: string, readonly lane: string, readonly direction: 'entry' | 'exit') {
    super();
  }

  async start(): Promise<void> {
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  state(): ScannerState {
    return { id: this.scannerId, lane: this.lane, direction: this.direction, state: this.started ? 'connected' : 'opening', path: 'fake', lastReadAt: null };
  }

  async feedback(kind: FeedbackKind): Promise<void> {
    this.feedbackLog.push(kind);
    this.emit('feedback', kind);
  }

  scan(payload: string, receivedAt = Date.now()): void {
    const event: ScanEvent = { scannerId: this.scannerId, lane: this.lane, direction: this.direction, kind: 'payload', payload, symbology: 'Q', receivedAt };
    this.emit('scan', event);
  }

  override on<E extends keyof ScannerEvents>(event: E, listener: ScannerEvents[E]): this;
  override on(event: string, listener: (...args: never[]) => void): this;
  override on(event: string, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  override off<E extends keyof ScannerEvents>(event: E, listener: ScannerEvents[E]): this;
  override off(event: string, listener: (...args: never[]) => void): this;
  override off(event: string, listener: (...args: never[]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }
}
