import type { JsonWebKey } from 'node:crypto';
import type { ScannerState } from '../../shared/contracts/heartbeat.js';
import type { EngineLog } from '../engine/trust-state.js';
import { CredentialRejected, RequestRejected, SnapshotRequired, TransientServerError, type ServerApi } from '../net/server-api.js';
import type { LinkStatus, LinkTuning } from './link.js';

/** What the link worker starts from (structured-cloned into it). */
export interface LinkWorkerData {
  storePath: string;
  cachePath: string;
  stationId: string;
  rootKeyJwk: JsonWebKey;
  /** talk HTTP itself, or ask the station's thread to make each call (a ready ServerApi: tests, the bench) */
  server: { url: string; credential: string } | { proxy: true };
  tuning: LinkTuning;
  scanners: ScannerState[];
  /**
   * The worker checkpoints the journal file's WAL (the deciding thread does not) once this many
   * journal commits are in it, or once this long has passed since the last checkpoint with any commit.
   */
  checkpointEveryCommits: number;
  checkpointEveryMs: number;
  /**
   * Shared with the deciding thread: [0] counts journal commits. The deciding thread adds one after
   * each; the worker looks at it (no message per record, nothing to clone or queue).
   */
  journalSignal: Int32Array;
  /** the worker thread's nice value (Linux: per thread), above the deciding thread's */
  niceness: number;
  /** 0 for the first start, then 1, 2... after each crash */
  attempt: number;
}

export type ApiMethod = keyof ServerApi;

export type ToWorker =
  | { type: 'scanners'; states: ScannerState[] }
  | { type: 'syncNow'; id: number }
  | { type: 'apiResult'; id: number; ok: true; value: unknown }
  | { type: 'apiResult'; id: number; ok: false; error: WireError }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'status'; status: LinkStatus }
  | { type: 'syncDone'; id: number; status: LinkStatus }
  | { type: 'api'; id: number; method: ApiMethod; args: unknown[] }
  | { type: 'log'; level: Parameters<EngineLog>[0]; message: string; fields?: Record<string, unknown> }
  | { type: 'stopped' };

/** An error as it crosses threads: its class is named by `code`, so the sync client and uploader still tell them apart. */
export interface WireError {
  code: string | null;
  message: string;
  status?: number;
}

export function toWireError(err: unknown): WireError {
  const e = err as { code?: unknown; message?: unknown; status?: unknown };
  return {
    code: typeof e?.code === 'string' ? e.code : null,
    message: typeof e?.message === 'string' ? e.message : String(err),
    ...(typeof e?.status === 'number' ? { status: e.status } : {}),
  };
}

export function fromWireError(w: WireError): Error {
  switch (w.code) {
    case 'CREDENTIAL_REJECTED': return new CredentialRejected(w.message);
    case 'SNAPSHOT_REQUIRED': return new SnapshotRequired(w.message);
    case 'REJECTED': return new RequestRejected(w.status ?? 400, w.message);
    case 'TRANSIENT': return new TransientServerError(w.message);
    default: return new Error(w.message);
  }
}
