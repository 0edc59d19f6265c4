import { execFile } from 'node:child_process';
import { close, constants, open, write } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { encodeInputEvents, type InputEvent } from '../station/scanner/evdev-decoder.js';
import { EV_KEY, EV_SYN, EVDEV_KEY_CODES, KEY_CAPSLOCK, KEY_LEFTSHIFT, KEY_RIGHTSHIFT } from '../station/scanner/evdev-keys.js';
import { loadIoctl, type Ioctl } from '../station/scanner/ioctl.js';
import { inputEventsFor, type TypingOptions } from './keystrokes.js';

const run = promisify(execFile);
const openFd = promisify(open);
const closeFd = promisify(close);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TypeOptions extends TypingOptions {
  /** time between keys, ms; 0 writes the whole read at once (default 0) */
  keyDelayMs?: number;
}

/** A virtual keyboard-wedge scanner: where the station reads it, and what it can do. */
export interface VirtualKeyboard {
  /** the path a station's `evdev` scanner entry names */
  readonly path: string;
  /** Type one read (text and suffix key) as input_event records. */
  type(text: string, opts?: TypeOptions): Promise<void>;
  /** Raw records, e.g. a recorded stream. */
  writeEvents(events: readonly InputEvent[]): Promise<void>;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A keyboard-wedge scanner as a FIFO of input_event records at `path`: the station's evdev scanner
 * reads it as it reads /dev/input/eventN (without the grab: a FIFO has none). The FIFO is held open
 * read-write, so it never blocks and the station sees no end of file until unplug(), which closes it
 * and removes the path; replug() makes it again at the same path.
 */
export class FifoKeyboard implements VirtualKeyboard {
  private fd: number | null = null;
  private writing: Promise<void> = Promise.resolve();

  private constructor(readonly path: string) {}

  static async start(path: string): Promise<FifoKeyboard> {
    const k = new FifoKeyboard(path);
    await k.replug();
    return k;
  }

  async replug(): Promise<void> {
    if (this.fd !== null) return;
    await unlink(this.path).catch(() => {});
    await run('mkfifo', ['-m', '0600', this.path]);
    this.fd = await openFd(this.path, constants.O_RDWR);
  }

  async unplug(): Promise<void> {
    await this.writing.catch(() => {});
    const fd = this.fd;
    this.fd = null;
    await unlink(this.path).catch(() => {});
    if (fd !== null) await closeFd(fd);
  }

  stop(): Promise<void> {
    return this.unplug();
  }

  type(text: string, opts: TypeOptions = {}): Promise<void> {
    return this.queue(inputEventsFor(text, opts), opts.keyDelayMs ?? 0);
  }

  writeEvents(events: readonly InputEvent[]): Promise<void> {
    return this.queue([events as InputEvent[]], 0);
  }

  private queue(keys: InputEvent[][], delayMs: number): Promise<void> {
    const next = this.writing.then(async () => {
      if (delayMs === 0) return this.writeBytes(encodeInputEvents(keys.flat()));
      for (const k of keys) {
        await this.writeBytes(encodeInputEvents(k));
        await sleep(delayMs);
      }
    });
    this.writing = next.catch(() => {});
    return next;
  }

  private writeBytes(bytes: Buffer): Promise<void> {
    const fd = this.fd;
    if (fd === null) return Promise.reject(new Error(`virtual keyboard ${this.path} is unplugged`));
    return writeAll(fd, bytes);
  }
}

async function writeAll(fd: number, bytes: Buffer): Promise<void> {
  for (let off = 0; off < bytes.length; ) {
    off += await new Promise<number>((resolve, reject) => write(fd, bytes, off, bytes.length - off, null, (err, n) => (err ? reject(err) : resolve(n))));
  }
}

// linux/uinput.h
const UI_SET_EVBIT = 0x40045564; // _IOW('U', 100, int)
const UI_SET_KEYBIT = 0x40045565; // _IOW('U', 101, int)
const UI_DEV_SETUP = 0x405c5503; // _IOW('U', 3, struct uinput_setup): 92 bytes
const UI_DEV_CREATE = 0x5501; // _IO('U', 1)
const UI_DEV_DESTROY = 0x5502; // _IO('U', 2)
const BUS_USB = 0x03;

/**
 * A real virtual keyboard made through /dev/uinput (needs the uinput module and write access to
 * /dev/uinput): the kernel creates /dev/input/eventN for it, exactly what a USB keyboard-wedge
 * scanner gives, so the station's evdev scanner reads and grabs it like one. `path` is that eventN.
 */
export class UinputKeyboard implements VirtualKeyboard {
  private fd: number | null = null;
  private ioctl: Ioctl | null = null;
  path = '';
  private writing: Promise<void> = Promise.resolve();

  static async start(name = 'checkpoint-sim keyboard-wedge scanner'): Promise<UinputKeyboard> {
    const k = new UinputKeyboard(name);
    await k.replug();
    return k;
  }

  private constructor(private readonly name: string) {}

  async replug(): Promise<void> {
    if (this.fd !== null) return;
    const ioctl = (this.ioctl ??= await loadIoctl());
    const before = new Set(await readdir('/dev/input').catch(() => []));
    const fd = await openFd('/dev/uinput', constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      ioctl(fd, UI_SET_EVBIT, EV_KEY);
      ioctl(fd, UI_SET_EVBIT, EV_SYN);
      for (const key of [...Object.keys(EVDEV_KEY_CODES).map(Number), KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_CAPSLOCK]) ioctl(fd, UI_SET_KEYBIT, key);
      const setup = Buffer.alloc(92); // struct uinput_setup { struct input_id id; char name[80]; __u32 ff_effects_max; }
      setup.writeUInt16LE(BUS_USB, 0);
      setup.writeUInt16LE(0x1234, 2);
      setup.writeUInt16LE(0x5678, 4);
      setup.write(this.name.slice(0, 79), 8, 'latin1');
      ioctl(fd, UI_DEV_SETUP, setup);
      ioctl(fd, UI_DEV_CREATE, 0);
    } catch (err) {
      await closeFd(fd);
      throw err;
    }
    this.fd = fd;
    // udev names the new node a moment later: find the event device that was not there before.
    for (let i = 0; i < 100 && !this.path; i++) {
      const added = (await readdir('/dev/input').catch(() => [])).find((n) => n.startsWith('event') && !before.has(n));
      if (added) this.path = `/dev/input/${added}`;
      else await sleep(20);
    }
    if (!this.path) throw new Error('uinput created no /dev/input/eventN');
  }

  async unplug(): Promise<void> {
    await this.writing.catch(() => {});
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return;
    try {
      this.ioctl?.(fd, UI_DEV_DESTROY, 0);
    } finally {
      await closeFd(fd);
    }
  }

  stop(): Promise<void> {
    return this.unplug();
  }

  type(text: string, opts: TypeOptions = {}): Promise<void> {
    const keys = inputEventsFor(text, opts);
    return this.queue(async (fd) => {
      for (const k of keys) {
        await writeAll(fd, encodeInputEvents(k));
        if (opts.keyDelayMs) await sleep(opts.keyDelayMs);
      }
    });
  }

  writeEvents(events: readonly InputEvent[]): Promise<void> {
    return this.queue((fd) => writeAll(fd, encodeInputEvents(events)));
  }

  private queue(f: (fd: number) => Promise<void>): Promise<void> {
    const next = this.writing.then(() => {
      if (this.fd === null) throw new Error('the uinput keyboard is unplugged');
      return f(this.fd);
    });
    this.writing = next.catch(() => {});
    return next;
  }
}
