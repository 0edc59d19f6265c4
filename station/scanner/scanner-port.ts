import type { ScannerState } from '../../shared/contracts/heartbeat.js';

/** Why a line from a scanner could not become a payload. */
export type UnreadableCause = 'LINE_TOO_LONG' | 'NOT_UTF8' | 'SYMBOLOGY_NOT_ALLOWED' | 'EMPTY' | 'CONTROL_CHARS';

export interface ScannerIdentity {
  scannerId: string;
  lane: string;
  direction: 'entry' | 'exit';
}

/** One read from a scanner, after framing, AIM prefix handling, UTF-8 check and debounce. */
export type ScanEvent =
  | (ScannerIdentity & { kind: 'payload'; payload: string; symbology: string | null; receivedAt: number })
  | (ScannerIdentity & { kind: 'unreadable'; cause: UnreadableCause; detail: string; receivedAt: number });

export type FeedbackKind = 'good' | 'bad';

export interface ScannerEvents {
  scan: (event: ScanEvent) => void;
  state: (state: ScannerState) => void;
}

/**
 * What the station sees of a scanner. The serial implementation (a real device or a socat pty) and
 * the in-process simulated one both implement it; nothing above this interface knows which.
 */
export interface ScannerPort extends ScannerIdentity {
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): ScannerState;
  /** Good-read / bad-read host command (beep, LED); a no-op when the scanner has none configured. */
  feedback(kind: FeedbackKind): Promise<void>;
  on<E extends keyof ScannerEvents>(event: E, listener: ScannerEvents[E]): this;
  off<E extends keyof ScannerEvents>(event: E, listener: ScannerEvents[E]): this;
}
