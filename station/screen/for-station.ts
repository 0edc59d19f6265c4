import { join } from 'node:path';
import { HttpServerApi } from '../net/server-api.js';
import type { Station } from '../station.js';
import { ScreenScanner } from '../scanner/screen-scanner.js';
import { OfficerScreen } from './screen.js';
import { stationStatusProvider, type ServerLink } from './status.js';
import type { Link } from '../sync/link.js';

/** The link's status in the officer screen's terms. */
export function serverLinkOf(link: Pick<Link, 'status'>): ServerLink {
  const s = link.status();
  const contacts = [s.sync.lastSuccessAt, s.upload.lastAckAt, s.lastHeartbeatAt].filter((t): t is number => t !== null);
  return {
    state: s.credentialRejected ? 'credential-rejected' : s.serverReachable ? 'reachable' : 'unreachable',
    lastContactAt: contacts.length ? Math.max(...contacts) : null,
    detail: s.sync.lastError ?? s.upload.lastError,
  };
}

export interface StationScreenOptions {
  /** the server link as the sync/upload code sees it; "not configured" when absent */
  server?: () => ServerLink;
  /** overrides of the config's host and port (tests, the demo) */
  host?: string;
  port?: number;
  /** how often the province's officers are pulled (default 30 s) */
  officerSyncIntervalMs?: number;
}

function officerSyncFor(stationId: string, server: { url: string; credential: string }, intervalMs?: number) {
  const api = new HttpServerApi({ baseUrl: server.url, stationId, secret: server.credential });
  return { fetch: (since: number) => api.officers(since), ...(intervalMs ? { intervalMs } : {}) };
}

/**
 * The officer's screen for a started Station, from its config's `officerScreen` section; null when
 * the config has none. The caller starts and stops it (after station.start(), before station.stop()).
 */
export function officerScreenForStation(station: Station, opts: StationScreenOptions = {}): OfficerScreen | null {
  const { config } = station;
  if (!config.officerScreen) return null;
  const link = station.link;
  const server = opts.server ?? (link ? () => serverLinkOf(link) : undefined);
  const screen = new OfficerScreen({
    host: opts.host ?? config.officerScreen.host,
    port: opts.port ?? config.officerScreen.port,
    station: { stationId: config.stationId, checkpointId: config.checkpointId },
    engine: station.engine,
    store: station.store,
    status: stationStatusProvider({ scannerStates: () => station.scannerStates(), store: station.store, ...(server ? { server } : {}) }),
    officers: config.officerScreen.officers,
    // Sessions, PIN locks and the province's officers survive a restart, beside the station's store.
    officerStorePath: join(config.dataDir, 'officers.db'),
    ...(config.server ? { officerSync: officerSyncFor(config.stationId, config.server, opts.officerSyncIntervalMs) } : {}),
    screenScanners: station.scanners.filter((s): s is ScreenScanner => s instanceof ScreenScanner),
    ...(config.officerScreen.verdictHoldSeconds ? { verdictHoldMs: config.officerScreen.verdictHoldSeconds * 1000 } : {}),
    ...(config.officerScreen.serverAlertSeconds ? { serverAlertMs: config.officerScreen.serverAlertSeconds * 1000 } : {}),
  });
  // An unplugged scanner shows at once, not at the next poll.
  station.on('scannerState', () => screen.refreshStatus());
  return screen;
}
