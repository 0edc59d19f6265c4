import fp from 'fastify-plugin';
import type { BatchAck, JournalRecord } from '../../../shared/contracts/journal.js';
import { GENESIS_HASH, journalHash } from '../../../shared/journal/hash-chain.js';
import type { AuthStation } from '../../auth/access.js';
import { ForbiddenError } from '../../domain-errors.js';
import type { ServerMetrics } from '../../plugins/metrics.js';
import { detectClones, withdrawExplainedClones } from './clone-detector.js';
import { sqliteIngestRepository, type IngestRepository, type NewAlert } from './repository.js';
import { boundedJson, checkJournalRecord } from './validate.js';

export interface IncomingBatch {
  stationId: string;
  records: readonly unknown[];
}

type Candidate = { index: number; record: JournalRecord };

/**
 * Stations' journal uploads. Idempotent by (stationId, seq): a re-sent identical record is a
 * duplicate; a different record under a stored seq is a conflict, kept aside and raised to the command
 * center, never merged. A record that fails validation is reported in `rejected` and kept as sent in
 * quarantine (journal_rejects); its seq then counts for the acknowledgement, so one bad record cannot
 * hold back the station's outbox, and nothing the station sent is lost. Each station's hash chain is checked as records arrive, in any order: a
 * record is checked against its stored neighbours on both sides. One transaction per batch, or per
 * group of batches that arrived together (`ingestGrouped`).
 */
export class IngestService {
  constructor(
    private readonly repo: IngestRepository,
    private readonly clock: () => number,
    private readonly metrics: ServerMetrics | null = null,
  ) {}

  private pending: { station: AuthStation; batch: IncomingBatch; resolve: (a: BatchAck) => void; reject: (e: unknown) => void }[] = [];

  /** One batch, one transaction (one fsync). */
  ingest(station: AuthStation, batch: IncomingBatch): BatchAck {
    const ack = this.repo.transaction(() => this.apply(station, batch));
    this.count(ack);
    return ack;
  }

  /**
   * Group commit: batches that arrive while the event loop is busy (stations upload at once) are
   * applied in one transaction, each in a savepoint of its own, and acknowledged only once that
   * transaction is durable. The fsync and the rewriting of the journal's index pages are then paid
   * once for several batches; the outcome of each batch is the same as alone, in arrival order.
   */
  ingestGrouped(station: AuthStation, batch: IncomingBatch): Promise<BatchAck> {
    return new Promise((resolve, reject) => {
      this.pending.push({ station, batch, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const group = this.pending;
    this.pending = [];
    const results: ({ ok: true; ack: BatchAck } | { ok: false; err: unknown })[] = [];
    try {
      this.repo.transaction(() => {
        for (const p of group) {
          try {
            // nested: a savepoint, so a batch that throws undoes only its own work
            results.push({ ok: true, ack: this.repo.transaction(() => this.apply(p.station, p.batch)) });
          } catch (err) {
            results.push({ ok: false, err });
          }
        }
      });
    } catch (err) {
      for (const p of group) p.reject(err);
      return;
    }
    group.forEach((p, i) => {
      const r = results[i]!;
      if (r.ok) {
        this.count(r.ack);
        p.resolve(r.ack);
      } else p.reject(r.err);
    });
  }

  private count(ack: BatchAck): void {
    if (!this.metrics) return;
    this.metrics.ingestRecords.inc({ outcome: 'stored' }, ack.stored);
    this.metrics.ingestRecords.inc({ outcome: 'duplicate' }, ack.duplicates);
    this.metrics.ingestRecords.inc({ outcome: 'rejected' }, ack.rejected.length);
    this.metrics.chainBreaks.inc(ack.chainBreaks.length);
  }

  /** The work of one batch; runs inside a transaction (or a savepoint of a group's). */
  private apply(station: AuthStation, batch: IncomingBatch): BatchAck {
    if (batch.stationId !== station.stationId) {
      throw new ForbiddenError(
        `station ${station.stationId} cannot upload as ${batch.stationId}`,
        `Trạm ${station.stationId} không được gửi dữ liệu thay trạm ${batch.stationId}`,
      );
    }
    const receivedAt = this.clock();
    const ack: BatchAck = { ackedSeq: 0, stored: 0, duplicates: 0, rejected: [], chainBreaks: [] };
    const candidates: Candidate[] = [];
    const invalid: { index: number; seq: number | null; message: string; raw: unknown }[] = [];
    batch.records.forEach((value, index) => {
      const c = checkJournalRecord(value);
      if (!c.ok) {
        const own = typeof value === 'object' && value !== null && (value as { stationId?: unknown }).stationId === station.stationId;
        invalid.push({ index, seq: own ? c.seq : null, message: c.message, raw: value });
      } else if (c.record.stationId !== station.stationId) {
        invalid.push({ index, seq: null, message: `/stationId: record of station ${c.record.stationId} in a batch of ${station.stationId}`, raw: value });
      } else if (!station.lanes.some((l) => l.id === c.record.lane)) {
        const lanes = station.lanes.map((l) => l.id).join(', ');
        invalid.push({ index, seq: c.record.seq, message: `/lane: ${c.record.lane} is not one of this station's lanes (${lanes})`, raw: value });
      } else candidates.push({ index, record: c.record });
    });
    candidates.sort((a, b) => a.record.seq - b.record.seq);

    const alerts: NewAlert[] = [];
    const breakAt = (seq: number, message: string) => {
      ack.chainBreaks.push({ seq, message });
      alerts.push({ stationId: station.stationId, kind: 'CHAIN_BREAK', seq, passId: null, passProvince: null, message, details: null, createdAt: receivedAt });
    };

    /** hash now stored at each seq this batch touched */
    const stored = new Map<number, string>();
    const fresh: Candidate[] = [];
    const quarantined = new Set<number>();
    for (const bad of invalid) {
      ack.rejected.push({ index: bad.index, seq: bad.seq, message: `${bad.message} (kept aside for review)` });
      if (bad.seq !== null) quarantined.add(bad.seq);
      if (this.repo.insertReject(station.stationId, bad.seq, receivedAt, bad.message, boundedJson(bad.raw))) {
        alerts.push({ stationId: station.stationId, kind: 'INVALID_RECORD', seq: bad.seq, passId: null, passProvince: null, message: `invalid record: ${bad.message}`, details: null, createdAt: receivedAt });
      }
    }
    // A retried batch is mostly records already stored: one range read answers them all, instead
    // of a failed insert and a lookup each. Skipped when the batch's seqs are spread too thin.
    const lo = candidates[0]?.record.seq ?? 0;
    const hi = candidates[candidates.length - 1]?.record.seq ?? -1;
    const existing = hi - lo < 4 * candidates.length + 16 ? this.repo.hashesBetween(station.stationId, lo, hi) : null;
    for (const c of candidates) {
      const r = c.record;
      let known = stored.get(r.seq) ?? existing?.get(r.seq);
      // Hashed only once stored: a retried duplicate needs no hash, only a comparison with the stored one.
      if (known === undefined && this.repo.insert(r, { receivedAt, checkpointId: station.checkpointId, province: station.province, hashOk: true })) {
        ack.stored++;
        stored.set(r.seq, r.hash);
        fresh.push(c);
        if (journalHash(r) !== r.hash) {
          this.repo.markHashMismatch(station.stationId, r.seq);
          breakAt(r.seq, 'record hash does not match its content (altered record)');
        }
        continue;
      }
      known ??= this.repo.link(station.stationId, r.seq)?.hash;
      if (known === r.hash) {
        ack.duplicates++;
        stored.set(r.seq, r.hash);
      } else {
        const message = `seq ${r.seq} was already stored with different content; this copy is kept for review`;
        ack.rejected.push({ index: c.index, seq: r.seq, message });
        if (this.repo.insertConflict(station.stationId, r.seq, receivedAt, r)) alerts.push({ stationId: station.stationId, kind: 'SEQ_CONFLICT', seq: r.seq, passId: null, passProvince: null, message, details: { storedHash: known ?? null, sentHash: r.hash }, createdAt: receivedAt });
      }
    }

    for (const { record: r } of fresh) {
      const prev = r.seq === 1 ? GENESIS_HASH : (stored.get(r.seq - 1) ?? this.repo.link(station.stationId, r.seq - 1)?.hash);
      if (prev !== undefined && r.prevHash !== prev) breakAt(r.seq, `prevHash does not match record ${r.seq - 1} (a record altered or missing before it)`);
      if (!stored.has(r.seq + 1)) {
        const next = this.repo.link(station.stationId, r.seq + 1);
        if (next && next.prevHash !== r.hash) breakAt(next.seq, `prevHash does not match record ${r.seq} (a record altered or missing before it)`);
      }
    }

    const crossed = fresh.map((c) => ({ record: c.record, checkpointId: station.checkpointId, province: station.province }));
    for (const a of detectClones(this.repo, crossed, receivedAt)) alerts.push(a);
    for (const a of alerts) this.repo.insertAlert(a);
    withdrawExplainedClones(this.repo, crossed, receivedAt);

    // The acknowledged head moves only when the record right after it arrives (it is kept at the
    // contiguous head in the same transaction as every insert), so a long-standing gap costs nothing.
    const before = this.repo.ackedSeq(station.stationId);
    const next = before + 1;
    ack.ackedSeq = fresh.some((c) => c.record.seq === next) || quarantined.has(next) ? this.repo.contiguousFrom(station.stationId, before) : before;
    if (ack.ackedSeq > before) this.repo.setAckedSeq(station.stationId, ack.ackedSeq);
    return ack;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly ingest: IngestService;
  }
}

export default fp(
  async (app) => {
    app.decorate('ingest', new IngestService(sqliteIngestRepository(app.database.sqlite), app.clock, app.metrics));
  },
  { name: 'ingest', fastify: '5.x', dependencies: ['database', 'metrics'] },
);
