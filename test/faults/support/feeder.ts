import type { VirtualScanner } from '../../../hardware-sim/virtual-scanner.js';

/** What the feeder watches: a station process, or a station in this process (InProcessStation). */
export interface VerdictSource {
  verdicts(): readonly unknown[];
  waitFor(test: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

/**
 * Writes a scan stream to the virtual scanner, never more than `window` reads ahead of the verdicts
 * the current station printed, like a busy lane rather than a firehose. (A pty whose reader dies
 * with its buffers full can stall socat for seconds after the next open, which a real USB scanner
 * does not do; and a small window bounds the reads a crash may lose, which makes a duplicate stand out.)
 */
export class ScanFeeder {
  sent = 0;
  /** `sent` when the current station started: what it has printed is measured from here */
  private baseline = 0;

  constructor(private readonly device: VirtualScanner, readonly written: readonly string[], private readonly random: () => number, private readonly window = 12) {}

  get done(): boolean {
    return this.sent >= this.written.length;
  }

  /** A new station process reads from here on (reads left in the pty are at most one window). */
  rebase(): void {
    this.baseline = this.sent;
  }

  /**
   * Feed `station` until `stop()` holds or the stream is written; resolves as soon as either is true.
   * `gapMs` spaces the writes out like a lane's traffic (a pace, not a wait for something).
   */
  async pumpUntil(station: VerdictSource, stop: () => boolean, opts: { timeoutMs?: number; gapMs?: number } = {}): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const room = () => this.sent - this.baseline < station.verdicts().length + this.window;
    while (!stop() && !this.done) {
      if (!room()) {
        await station.waitFor(() => room() || stop(), 'the station to decide the reads in flight', timeoutMs);
        continue;
      }
      const n = Math.min(this.written.length - this.sent, 1 + Math.floor(this.random() * 4));
      await this.device.write(Buffer.from(this.written.slice(this.sent, this.sent + n).map((c) => `${c}\r`).join(''), 'latin1'));
      this.sent += n;
      if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
    }
  }
}
