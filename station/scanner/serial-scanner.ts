import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import type { ScannerConfig } from './config.js';
import { hexBytes, ScannerBase, type ScannerBaseOptions } from './scanner-base.js';
import type { FeedbackKind } from './scanner-port.js';

/** The part of a serialport stream this class uses; `SerialPort` and `SerialPortMock` both fit. */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (err: Error | null) => void): void;
  close(callback?: (err: Error | null) => void): void;
  write(data: Buffer, callback: (err: Error | null | undefined) => void): boolean;
  on(event: 'data' | 'close' | 'error', listener: (...args: never[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
}
export type PortFactory = (opts: { path: string; baudRate: number }) => SerialPortLike;

export interface SerialScannerDeps extends ScannerBaseOptions {
  /** Default: a real `SerialPort` (autoOpen off). Tests pass `SerialPortMock` over @serialport/binding-mock. */
  createPort?: PortFactory;
  /** Default: fs.stat on the path (a dangling by-id link counts as absent). */
  pathExists?: (path: string) => Promise<boolean>;
  /**
   * The device behind the path, or null when absent. Default: fs.stat's device and inode numbers, which a
   * replugged device (a new pty, a re-created /dev/ttyUSB0 node) does not keep.
   */
  deviceId?: (path: string) => Promise<string | null>;
  /** How often the device path is checked, ms (default 250). */
  watchdogMs?: number;
  /** Longest wait for a port's close or a feedback write, ms (default 2000). */
  ioTimeoutMs?: number;
}

const defaultPort: PortFactory = ({ path, baudRate }) => new SerialPort({ path, baudRate, autoOpen: false });
const defaultPathExists = (path: string) => stat(path).then(() => true, () => false);
const defaultDeviceId = (path: string) => stat(path).then((st) => `${st.dev}:${st.ino}:${st.rdev}`, () => null);

/**
 * A scanner on a serial device (USB virtual COM port, RS-232, or a socat pty in tests).
 *
 * Unplug is noticed two ways: the port's `close`/`error` events, and a watchdog that stats the device
 * path, because on Linux node-serialport's read loop can spin after an unplug without emitting
 * `close`. On unplug the port is closed and its close awaited (the port lock has one owner) before
 * any reopen; reopening waits for the path to return, then retries with exponential backoff.
 * start() resolves after the first open attempt whatever its outcome: a missing scanner is a state,
 * not a failure of the station.
 */
export class SerialScanner extends ScannerBase {
  private readonly createPort: PortFactory;
  private readonly pathExists: (path: string) => Promise<boolean>;
  private readonly deviceId: (path: string) => Promise<string | null>;
  /** the device the open port was opened on (read before the open: a replug in between costs one extra reopen, never a stale port) */
  private openedId: string | null = null;
  private readonly watchdogMs: number;
  private readonly ioTimeoutMs: number;
  private port: SerialPortLike | null = null;
  /** The close of the previous port, awaited before the next open. */
  private closing: Promise<void> | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private watching = false;
  private reconnecting = false;
  private wakeUp: (() => void) | null = null;

  constructor(config: ScannerConfig, deps: SerialScannerDeps = {}) {
    super(config, deps);
    this.createPort = deps.createPort ?? defaultPort;
    this.pathExists = deps.pathExists ?? defaultPathExists;
    this.deviceId = deps.deviceId ?? defaultDeviceId;
    this.watchdogMs = deps.watchdogMs ?? 250;
    this.ioTimeoutMs = deps.ioTimeoutMs ?? 2000;
  }

  get path(): string {
    return this.config.path;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.watchdog = setInterval(() => void this.watch(), this.watchdogMs);
    this.watchdog.unref();
    if (!(await this.attempt())) this.reconnect();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.wake();
    const port = this.port;
    this.port = null;
    if (port) this.closing = this.closePort(port);
    if (this.closing) await this.closing;
  }

  async feedback(kind: FeedbackKind): Promise<void> {
    const fb = this.config.feedback;
    if (fb === null) return;
    const port = this.port;
    if (!port || !port.isOpen) {
      this.counts.feedbackFailed++;
      return;
    }
    try {
      await this.bounded(new Promise<void>((resolve, reject) => {
        port.write(hexBytes(kind === 'good' ? fb.good : fb.bad), (err) => (err ? reject(err) : resolve()));
      }), 'feedback write');
      this.counts.feedbackWritten++;
    } catch (err) {
      this.counts.feedbackFailed++;
      this.log('warn', 'feedback not written', { scanner: this.scannerId, error: String(err) });
    }
  }

  /** One open attempt; true when connected. Never throws. */
  private async attempt(): Promise<boolean> {
    if (this.closing) await this.closing;
    if (!this.running || this.port) return this.port !== null;
    if (!(await this.pathExists(this.config.path))) {
      this.setState('unplugged');
      return false;
    }
    this.setState('opening');
    const id = await this.deviceId(this.config.path);
    const port = this.createPort({ path: this.config.path, baudRate: this.config.baudRate });
    // Errors after a port is dropped must still have a listener, or the stream would throw them.
    port.on('error', (err: Error) => this.onPortError(port, err));
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      const gone = !(await this.pathExists(this.config.path));
      this.setState(gone ? 'unplugged' : 'error');
      this.log('warn', 'scanner open failed', { scanner: this.scannerId, path: this.config.path, error: String(err) });
      return false;
    }
    if (!this.running) {
      await this.closePort(port);
      return false;
    }
    this.port = port;
    this.openedId = id;
    this.resetFraming();
    port.on('data', (chunk: Buffer) => {
      if (this.port === port) this.ingest(chunk);
    });
    port.on('close', (err: Error | null) => {
      if (this.port === port) this.disconnect(err ? `port closed: ${err.message}` : 'port closed');
    });
    this.setState('connected');
    this.log('info', 'scanner connected', { scanner: this.scannerId, path: this.config.path });
    return true;
  }

  /** Retry until connected or stopped: wait for the path (woken by the watchdog), back off after failed opens. */
  private reconnect(): void {
    if (this.reconnecting || !this.running) return;
    this.reconnecting = true;
    void (async () => {
      let delay = this.config.reopen.minMs;
      try {
        while (this.running && !this.port) {
          if (await this.pathExists(this.config.path)) {
            if (await this.attempt()) return;
            await this.pause(delay);
            delay = Math.min(delay * 2, this.config.reopen.maxMs);
          } else {
            this.setState('unplugged');
            await this.pause(this.config.reopen.maxMs);
          }
        }
      } catch (err) {
        this.log('error', 'scanner reconnect loop failed', { scanner: this.scannerId, error: String(err) });
      } finally {
        this.reconnecting = false;
      }
    })();
  }

  private disconnect(reason: string): void {
    const port = this.port;
    if (!port) return;
    this.port = null;
    this.resetFraming();
    this.setState('unplugged');
    this.log('warn', 'scanner unplugged', { scanner: this.scannerId, path: this.config.path, reason });
    const closing = this.closePort(port).finally(() => {
      if (this.closing === closing) this.closing = null;
    });
    this.closing = closing;
    this.reconnect();
  }

  private onPortError(port: SerialPortLike, err: Error): void {
    this.log('warn', 'serial port error', { scanner: this.scannerId, error: err.message });
    if (this.port !== port) return;
    if (!port.isOpen) this.disconnect(`error: ${err.message}`);
    else void this.watch();
  }

  private async replaced(port: SerialPortLike): Promise<boolean> {
    const now = await this.deviceId(this.config.path);
    return this.running && this.port === port && now !== null && now !== this.openedId;
  }

  private async watch(): Promise<void> {
    if (this.watching || !this.running) return;
    this.watching = true;
    try {
      const exists = await this.pathExists(this.config.path);
      if (!this.running) return;
      const port = this.port;
      if (port && (!exists || !port.isOpen)) this.disconnect(exists ? 'port no longer open' : 'device path vanished');
      // Unplugged and plugged back between two checks: the path is there, the port still looks open
      // (the read loop can spin on a dead device without a close), but the device is a new one.
      else if (port && this.openedId !== null && (await this.replaced(port))) this.disconnect('device replaced (unplugged and plugged back between two checks)');
      // Only a path that had vanished wakes the loop early; a failed open keeps its backoff.
      else if (!port && exists && this.state().state === 'unplugged') this.wake();
    } catch (err) {
      this.log('error', 'scanner watchdog failed', { scanner: this.scannerId, error: String(err) });
    } finally {
      this.watching = false;
    }
  }

  /** Close and wait for the close (bounded), so the lock is free before the next open. Never rejects. */
  private async closePort(port: SerialPortLike): Promise<void> {
    port.removeAllListeners('data');
    if (!port.isOpen) return;
    try {
      await this.bounded(new Promise<void>((resolve) => port.close(() => resolve())), 'port close');
    } catch (err) {
      this.log('warn', 'port close did not finish', { scanner: this.scannerId, error: String(err) });
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wakeUp === done) self.wakeUp = null;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private wake(): void {
    this.wakeUp?.();
  }

  private bounded<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${this.ioTimeoutMs} ms`)), this.ioTimeoutMs);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}
