import type { ScannerConfig } from './config.js';
import { evdevPortFactory } from './evdev-port.js';
import type { ScannerPort } from './scanner-port.js';
import { ScreenScanner } from './screen-scanner.js';
import { SerialScanner, type SerialScannerDeps } from './serial-scanner.js';

/** The scanner a config entry describes, by its kind. */
/** `opts` beyond clock and log tune the device watchdog (serial and evdev). */
export function createScanner(config: ScannerConfig, opts: Omit<SerialScannerDeps, 'createPort'> = {}): ScannerPort {
  switch (config.kind) {
    case 'serial':
      return new SerialScanner(config, opts);
    case 'evdev':
      // The serial scanner's path watchdog and reopen loop, over an input device instead of a tty.
      return new SerialScanner(config, { ...opts, createPort: evdevPortFactory(config, opts.log ?? (() => {})) });
    case 'screen':
    case 'camera':
      return new ScreenScanner(config, opts);
  }
}
