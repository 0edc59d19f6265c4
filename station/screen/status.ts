import type { ScannerState } from '../../shared/contracts/heartbeat.js';
import type { StationStore } from '../store/store.js';

/** How the station stands with the central server, as the sync/upload code sees it. */
export interface ServerLink {
  state: 'reachable' | 'unreachable' | 'credential-rejected' | 'not-configured';
  /** last successful exchange with the server, ms since epoch */
  lastContactAt: number | null;
  /** the last error, in words, for the officer to read out to support */
  detail: string | null;
}

/** What the officer's screen shows of the station; the status provider is called about once a second. */
export interface StationStatus {
  scanners: ScannerState[];
  /** when the cache last synced with the server, ms since epoch; null: never */
  cacheSyncedAt: number | null;
  /** journal records not yet acknowledged by the server */
  outboxBacklog: number;
  server: ServerLink;
}

export type StatusProvider = () => StationStatus;

export const NO_SERVER: ServerLink = { state: 'not-configured', lastContactAt: null, detail: null };

/**
 * A status provider from the station's parts: scanners' states, the store's sync state and backlog,
 * and (when sync runs) the server link. The sync/upload code passes its own `server` function.
 */
export function stationStatusProvider(parts: {
  scannerStates: () => ScannerState[];
  store: Pick<StationStore, 'syncState' | 'outboxBacklog'>;
  server?: () => ServerLink;
}): StatusProvider {
  return () => ({
    scanners: parts.scannerStates(),
    cacheSyncedAt: parts.store.syncState().syncedAt,
    outboxBacklog: parts.store.outboxBacklog(),
    server: parts.server ? parts.server() : NO_SERVER,
  });
}
