import { loadStationConfig } from '../../../station/config.js';
import type { VerdictEvent } from '../../../station/engine/engine.js';
import { Station } from '../../../station/station.js';
import type { LinkOptions } from '../../../station/sync/link.js';
import type { VerdictSource } from './feeder.js';

/**
 * The station of a config file in this process (its real serial scanner on the pty, its store, its
 * link), for a run that tunes the link's intervals and backoff, which the config file does not carry.
 */
export class InProcessStation implements VerdictSource {
  readonly station: Station;
  private readonly seen: VerdictEvent[] = [];
  private waiters: (() => void)[] = [];
  readonly errors: string[] = [];

  constructor(configFile: string, link: Partial<Omit<LinkOptions, 'stationId' | 'rootKey' | 'store' | 'scannerStates' | 'server'>>) {
    this.station = new Station(loadStationConfig(configFile), {
      link,
      log: (level, message, fields) => {
        if (level === 'error') this.errors.push(`${message} ${JSON.stringify(fields ?? {})}`);
      },
    });
    this.station.on('verdict', (v) => {
      this.seen.push(v);
      for (const w of [...this.waiters]) w();
    });
  }

  verdicts(): readonly VerdictEvent[] {
    return this.seen;
  }

  waitFor(test: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`timed out waiting for ${what}; errors: ${this.errors.slice(-3).join('; ')}`));
      }, timeoutMs);
      this.waiters.push(check);
    });
  }
}
