import { EventEmitter } from 'node:events';
import { close as closeFd, constants, createReadStream, open as openFd } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { ScannerConfig } from './config.js';
import { EvdevDecoder } from './evdev-decoder.js';
import { EBUSY, EVIOCGRAB, IoctlError, loadIoctl, type Ioctl } from './ioctl.js';
import type { ScannerLog } from './scanner-base.js';
import type { PortFactory, SerialPortLike } from './serial-scanner.js';

export interface EvdevPortOptions {
  path: string;
  config: Pick<ScannerConfig, 'id' | 'keySuffix' | 'grab'>;
  log: ScannerLog;
  /** default: libc's ioctl through koffi */
  ioctl?: () => Promise<Ioctl>;
  recordSize?: number;
}

/**
 * A Linux input device (a keyboard-wedge scanner's /dev/input/by-id/…-event-kbd) seen as a port that
 * yields the text it types, each read ended by CR: so the serial scanner's machinery (path watchdog,
 * reopen with backoff, one owner at a time) carries it unchanged, and framing and debounce follow.
 *
 * A character device is read by a file stream (libuv reads it on its thread pool: one pool thread per
 * scanner while it waits for a key) and grabbed with EVIOCGRAB so its keystrokes reach no other
 * program. A FIFO (the simulator's virtual scanner, and tests) is read as a pipe and not grabbed:
 * there is nothing to grab. Host commands (beep, LED) do not exist for a keyboard: write fails.
 */
export class EvdevPort extends EventEmitter implements SerialPortLike {
  private fd: number | null = null;
  private stream: Readable | null = null;
  private grabbed: Ioctl | null = null;
  private readonly decoder: EvdevDecoder;
  isOpen = false;

  constructor(private readonly opts: EvdevPortOptions) {
    super();
    this.decoder = new EvdevDecoder({ keySuffix: opts.config.keySuffix, ...(opts.recordSize ? { recordSize: opts.recordSize } : {}) });
  }

  override on(event: 'data' | 'close' | 'error', listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  open(callback: (err: Error | null) => void): void {
    this.doOpen().then(() => callback(null), (err: Error) => callback(err));
  }

  private async doOpen(): Promise<void> {
    const info = await stat(this.opts.path);
    if (info.isFIFO()) {
      // Non-blocking: an open FIFO with no writer yet waits for one instead of blocking a pool thread.
      const fd = await openPath(this.opts.path, constants.O_RDONLY | constants.O_NONBLOCK);
      this.stream = new Socket({ fd, readable: true, writable: false }); // the socket owns the fd from here
    } else if (info.isCharacterDevice()) {
      const fd = await openPath(this.opts.path, constants.O_RDONLY);
      this.fd = fd;
      if (this.opts.config.grab) await this.grab(fd);
      // autoClose: the fd is closed once a pending read has returned, never under it.
      this.stream = createReadStream('', { fd, autoClose: true, highWaterMark: 24 * 64 });
    } else {
      throw new Error(`${this.opts.path} is neither an input device nor a FIFO`);
    }
    const stream = this.stream;
    stream.on('data', (chunk: Buffer) => {
      const text = this.decoder.push(chunk);
      if (text) this.emit('data', Buffer.from(text, 'latin1'));
    });
    // A FIFO's writer gone, or a device read failing with ENODEV: the scanner is gone for now.
    stream.on('end', () => this.lost(null));
    stream.on('error', (err: Error) => this.lost(err));
    this.isOpen = true;
  }

  /** Without the grab the keystrokes would also type into whatever window has focus: say so loudly. */
  private async grab(fd: number): Promise<void> {
    try {
      const ioctl = await (this.opts.ioctl ?? loadIoctl)();
      ioctl(fd, EVIOCGRAB, 1);
      this.grabbed = ioctl;
    } catch (err) {
      if (err instanceof IoctlError && err.errno === EBUSY) {
        closeFd(fd, () => {});
        this.fd = null;
        throw new Error(`${this.opts.path} is grabbed by another program (EVIOCGRAB: busy)`);
      }
      this.opts.log('warn', 'keyboard-wedge scanner not grabbed: its keystrokes also reach the desktop', { scanner: this.opts.config.id, error: String(err) });
    }
  }

  private lost(err: Error | null): void {
    if (!this.isOpen) return;
    this.release();
    this.emit('close', err ?? new Error('input device closed'));
  }

  /** Ungrab and close; a character device's fd closes once its pending read returns (autoClose). */
  private release(): void {
    this.isOpen = false;
    this.decoder.reset();
    const fd = this.fd;
    const stream = this.stream;
    this.fd = null;
    this.stream = null;
    if (fd !== null && this.grabbed) {
      try {
        this.grabbed(fd, EVIOCGRAB, 0);
      } catch {
        // the device is gone: so is the grab
      }
    }
    this.grabbed = null;
    stream?.removeAllListeners('data');
    stream?.on('error', () => {});
    stream?.destroy();
  }

  close(callback?: (err: Error | null) => void): void {
    if (this.isOpen) {
      this.release();
      this.emit('close', null);
    }
    callback?.(null);
  }

  write(_data: Buffer, callback: (err: Error | null | undefined) => void): boolean {
    callback(new Error('a keyboard-wedge scanner takes no host commands'));
    return false;
  }
}

function openPath(path: string, flags: number): Promise<number> {
  return new Promise((resolve, reject) => openFd(path, flags, (err, fd) => (err ? reject(err) : resolve(fd))));
}

/** A PortFactory for SerialScanner that opens evdev devices. */
export function evdevPortFactory(config: ScannerConfig, log: ScannerLog, extra: Partial<EvdevPortOptions> = {}): PortFactory {
  return ({ path }) => new EvdevPort({ path, config, log, ...extra });
}
