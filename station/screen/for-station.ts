import type { Station } from '../station.js';
import { OfficerScreen } from './screen.js';
import { stationStatusProvider, type ServerLink } from './status.js';

export interface StationScreenOptions {
  /** the server link as the sync/upload code sees it; "not configured" when absent */
  server?: () => ServerLink;
  /** overrides of the config's host and port (tests, the demo) */
  host?: string;
  port?: number;
}

/**
 * The officer's screen for a started Station, from its config's `officerScreen` section; null when
 * the config has none. The caller starts and stops it (after station.start(), before station.stop()).
 */
export function officerScreenForStation(station: Station, opts: StationScreenOptions = {}): OfficerScreen | null {
  const { config } = station;
  if (!config.officerScreen) return null;
  const screen = new OfficerScreen({
    host: opts.host ?? config.officerScreen.host,
    port: opts.port ?? config.officerScreen.port,
    station: { stationId: config.stationId, checkpointId: config.checkpointId },
    engine: station.engine,
    store: station.store,
    status: stationStatusProvider({ scannerStates: () => station.scannerStates(), store: station.store, ...(opts.server ? { server: opts.server } : {}) }),
    officers: config.officerScreen.officers,
  });
  // An unplugged scanner shows at once, not at the next poll.
  station.on('scannerState', () => screen.refreshStatus());
  return screen;
}
