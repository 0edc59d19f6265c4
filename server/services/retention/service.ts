import fp from 'fastify-plugin';
import { ensureJournalMonths } from './journal-partitions.js';
import { sqlOperationalRecordsPruner, type OperationalRecordsPruner } from './operational-records.js';
import { sqlRetentionRepository, type RetentionRepository } from './repository.js';

export interface PurgeResult {
  /** journal rows whose personal fields were cleared */
  journalRows: number;
  /** conflicting and invalid copies deleted */
  conflictRows: number;
  sessions: number;
  /** heartbeat minutes, notices and health-history rows deleted (operational-records.ts) */
  heartbeatMinutes: number;
  notices: number;
  healthChanges: number;
  cutoff: number;
}

const DAY = 86_400_000;
const CHUNK = 5000;
const SWEEP_EVERY_MS = 60 * 60_000;

/**
 * Personal data in the journal is kept RETENTION_DAYS (by the station's time of the record), then
 * its personal fields are cleared in place — plate, citizen id, pass id and version, payload hash,
 * crossing id, scanner id, officer, note — and `purged_at` is set. The row itself stays (station,
 * seq, time, lane, direction, verdict, reasons, hashes), so counts per checkpoint, hour and reason
 * still add up and the station's ack and chain linkage are unaffected; a purged row's own hash no
 * longer matches its content, which is expected. Conflicting and invalid copies (whole records, kept
 * by receipt time) are deleted, and so are the heartbeat minutes, notices and health-history rows older
 * than the same window. The access log is kept: it is the record of who read what.
 */
export class RetentionService {
  private timer: NodeJS.Timeout | null = null;
  private firstMaintenance: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: RetentionRepository,
    private readonly retentionDays: number,
    private readonly clock: () => number,
    private readonly operational: OperationalRecordsPruner,
    /** housekeeping run with each sweep and at start (PostgreSQL: the journal's months ahead) */
    private readonly maintain: (now: number) => Promise<unknown> = async () => undefined,
  ) {}

  /** Idempotent; each chunk is its own transaction so ingest is never blocked for long. */
  async purgePersonalData(now: number = this.clock()): Promise<PurgeResult> {
    const cutoff = now - this.retentionDays * DAY;
    let journalRows = 0;
    for (;;) {
      const n = await this.repo.clearJournalChunk(cutoff, now, CHUNK);
      journalRows += n;
      if (n < CHUNK) break;
    }
    const conflictRows = await this.repo.deleteKeptCopies(cutoff);
    const sessions = await this.repo.deleteExpiredSessions(now);
    return { journalRows, conflictRows, sessions, ...await this.operational.prune(cutoff, CHUNK), cutoff };
  }

  start(onError: (err: unknown) => void): void {
    if (this.timer) return;
    this.firstMaintenance = this.maintain(this.clock()).then(() => undefined, onError);
    this.timer = setInterval(() => {
      this.maintain(this.clock()).catch(onError);
      this.purgePersonalData().catch(onError);
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  /** Resolves once the housekeeping `start` began has run (failures went to its onError). */
  maintained(): Promise<void> {
    return this.firstMaintenance;
  }

  /** Stops the sweeps; resolves once the start's housekeeping is done, so the database is not closed under it. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.firstMaintenance;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly retention: RetentionService;
  }
}

export default fp(
  async (app) => {
    const client = app.database.client;
    const retention = new RetentionService(sqlRetentionRepository(client), app.config.retentionDays, app.clock, sqlOperationalRecordsPruner(client), (now) => ensureJournalMonths(client, now));
    app.decorate('retention', retention);
    app.addHook('onReady', async () => retention.start((err) => app.log.error({ err }, 'retention sweep failed')));
    app.addHook('onClose', async () => retention.stop());
  },
  { name: 'retention', fastify: '5.x', dependencies: ['database'] },
);
