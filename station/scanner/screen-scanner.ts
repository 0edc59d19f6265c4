import type { ScannerConfig } from './config.js';
import { ScannerBase, type ScannerBaseOptions } from './scanner-base.js';

export type ScreenReaderState = 'connected' | 'error';

export interface ScreenScannerOptions extends ScannerBaseOptions {
  /** A page that has not reported for this long is gone: the scanner shows as unplugged (default 30 s). */
  presenceTimeoutMs?: number;
}

/**
 * A scanner read by the officer screen's page: a keyboard-wedge scanner plugged into the screen's PC or
 * tablet (kind `screen`), or its camera (kind `camera`). The page posts each read; it goes through the
 * same framing checks and debounce as a device's line, and then the same engine, journal and verdict.
 *
 * State: `opening` until a page reports, then what the page reports (`connected`, or `error` when the
 * camera is refused), and `unplugged` once no page has reported within the presence timeout.
 * Feedback is the page's own sound on the verdict: nothing to send.
 */
export class ScreenScanner extends ScannerBase {
  private readonly presenceTimeoutMs: number;
  private expiry: NodeJS.Timeout | null = null;
  private lastDetail: string | null = null;

  constructor(config: ScannerConfig, opts: ScreenScannerOptions = {}) {
    if (config.kind !== 'screen' && config.kind !== 'camera') throw new Error(`a ScreenScanner reads kinds screen and camera, not ${config.kind}`);
    super(config, opts);
    this.presenceTimeoutMs = opts.presenceTimeoutMs ?? 30_000;
  }

  get kind(): 'screen' | 'camera' {
    return this.config.kind as 'screen' | 'camera';
  }

  /** What the page reported last with an `error` state (e.g. the camera permission was refused). */
  get detail(): string | null {
    return this.lastDetail;
  }

  async start(): Promise<void> {
    this.running = true;
    this.setState('opening');
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
  }

  /** A page says it is there (and whether its reader works). */
  presence(state: ScreenReaderState, detail: string | null = null): void {
    if (!this.running) return;
    this.lastDetail = state === 'error' ? detail : null;
    this.setState(state);
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = setTimeout(() => this.setState('unplugged'), this.presenceTimeoutMs);
    this.expiry.unref();
  }

  /** One read from the page; false when the scanner is stopped. A read also counts as presence. */
  read(text: string): boolean {
    if (!this.running) return false;
    if (this.state().state !== 'connected') this.presence('connected');
    this.ingestLine(text);
    return true;
  }

  async feedback(): Promise<void> {}
}
