/**
 * ioctl(2) from Node, through koffi (a maintained FFI library that ships its binary inside its npm
 * package): plain Node has no ioctl, and EVIOCGRAB (and uinput, in the simulator) need one. Loaded on
 * first use, so a machine where koffi cannot load still runs every other kind of scanner; the caller
 * decides what a missing ioctl means.
 */
export type Ioctl = (fd: number, request: number, arg: number | Buffer) => void;

export class IoctlError extends Error {
  constructor(message: string, readonly errno: number | null) {
    super(message);
    this.name = 'IoctlError';
  }
}

let loaded: Promise<Ioctl> | null = null;

/** The ioctl of the C library; rejects with IoctlError when koffi or libc cannot be loaded. */
export function loadIoctl(): Promise<Ioctl> {
  loaded ??= (async () => {
    try {
      const koffi = (await import('koffi')).default;
      const libc = koffi.load('libc.so.6');
      const raw = libc.func('int ioctl(int fd, unsigned long request, ...)');
      return (fd: number, request: number, arg: number | Buffer) => {
        const r = typeof arg === 'number' ? raw(fd, request, 'long', arg) : raw(fd, request, 'uint8_t *', arg);
        if (r < 0) {
          const errno = koffi.errno();
          throw new IoctlError(`ioctl 0x${request.toString(16)} failed: errno ${errno}`, errno);
        }
      };
    } catch (err) {
      if (err instanceof IoctlError) throw err;
      throw new IoctlError(`no ioctl on this machine: ${(err as Error).message}`, null);
    }
  })();
  return loaded;
}

/** EVIOCGRAB = _IOW('E', 0x90, int): while held, the device's events reach only this open file. */
export const EVIOCGRAB = 0x40044590;
export const EBUSY = 16;
