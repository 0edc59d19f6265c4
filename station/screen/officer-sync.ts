import type { StationOfficers } from '../../shared/contracts/officers.js';
import type { EngineLog } from '../engine/trust-state.js';
import type { OfficerSessions } from './officers.js';

export interface OfficerSyncOptions {
  /** the server's answer for this station's province (HttpServerApi.officers) */
  fetch: (since: number) => Promise<StationOfficers>;
  sessions: OfficerSessions;
  /** called after a new list was applied (the screen ends the streams of officers no longer allowed) */
  onApplied?: () => void;
  /** default 30 s */
  intervalMs?: number;
  log?: EngineLog;
}

/**
 * Keeps the screen's officers in step with the province's list on the server: a new officer signs in
 * at any checkpoint of the province after the next pull; a disabled one is signed out. Runs beside the
 * decisions; a server that is down leaves the last list in force.
 */
export class OfficerSync {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  lastError: string | null = null;
  lastSuccessAt: number | null = null;

  constructor(private readonly opts: OfficerSyncOptions) {}

  start(): void {
    if (this.timer) return;
    void this.syncNow();
    this.timer = setInterval(() => void this.syncNow(), this.opts.intervalMs ?? 30_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Pull once (one at a time); resolves when done, failed or not. */
  syncNow(): Promise<void> {
    this.running ??= this.pull().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pull(): Promise<void> {
    const { sessions } = this.opts;
    try {
      const answer = await this.opts.fetch(sessions.store.centralVersion());
      this.lastSuccessAt = Date.now();
      this.lastError = null;
      if (answer.officers === null) return;
      // A disabled or removed officer's session fails its next check (OfficerSessions.get).
      sessions.replaceCentral(answer.officers, answer.version);
      this.opts.onApplied?.();
    } catch (err) {
      this.lastError = (err as Error).message;
      this.opts.log?.('warn', 'officer list could not be synced', { error: this.lastError });
    }
  }
}
