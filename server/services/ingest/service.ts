import fp from 'fastify-plugin';
import type { BatchAck, JournalRecord } from '../../../shared/contracts/journal.js';
import { GENESIS_HASH, journalHash } from '../../../shared/journal/hash-chain.js';
import type { AuthStation } from '../../auth/access.js';
import { ForbiddenError } from '../../domain-errors.js';
import type { ServerMetrics } from '../../plugins/metrics.js';
import { detectClones, withdrawExplainedClones } from './clone-detector.js';
import { GroupCommit } from '../../db/group-commit.js';
import type { PgClient } from '../../db/pg-client.js';
import type { SqlClient } from '../../db/sql-client.js';
import type { SqliteClient } from '../../db/sqlite-client.js';
import { PgIngestRepository } from './pg-repository.js';
import { seqsAround, type IngestRepository, type NewAlert } from './repository.js';
import { SqliteIngestRepository } from './sqlite-repository.js';
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
 * hold back the station's outbox, and nothing the station sent is lost. Each station's hash chain is
 * checked as records arrive, in any order: a record is checked against its stored neighbours on both
 * sides. One transaction per batch, or per group of batches that arrived together (`ingestGrouped`);
 * one station's batches apply one at a time, on any number of server instances (`lockStation`).
 */
export class IngestService {
  private readonly grouped: GroupCommit<{ station: AuthStation; batch: IncomingBatch }, BatchAck>;

  constructor(
    private readonly client: SqlClient,
    private readonly repo: IngestRepository,
    private readonly clock: () => number,
    private readonly metrics: ServerMetrics | null = null,
  ) {
    this.grouped = new GroupCommit(client, ({ station, batch }) => this.apply(station, batch));
  }

  /** One batch, one transaction (one fsync). */
  async ingest(station: AuthStation, batch: IncomingBatch): Promise<BatchAck> {
    const ack = await this.client.transaction(() => this.apply(station, batch));
    this.count(ack);
    return ack;
  }

  /**
   * Group commit on SQLite: batches that arrive while the event loop is busy (stations upload at
   * once) are applied in one transaction, each in a savepoint of its own, and acknowledged only once
   * that transaction is durable. The fsync and the rewriting of the journal's index pages are then
   * paid once for several batches; the outcome of each batch is the same as alone, in arrival order.
   * On PostgreSQL each batch is its own transaction (server/db/group-commit.ts says why).
   */
  async ingestGrouped(station: AuthStation, batch: IncomingBatch): Promise<BatchAck> {
    const ack = await this.grouped.run({ station, batch });
    this.count(ack);
    return ack;
  }

  private count(ack: BatchAck): void {
    if (!this.metrics) return;
    this.metrics.ingestRecords.inc({ outcome: 'stored' }, ack.stored);
    this.metrics.ingestRecords.inc({ outcome: 'duplicate' }, ack.duplicates);
    this.metrics.ingestRecords.inc({ outcome: 'rejected' }, ack.rejected.length);
    this.metrics.chainBreaks.inc(ack.chainBreaks.length);
  }

  /**
   * The work of one batch; runs inside a transaction (or a savepoint of a group's), holding the
   * station's ingest lock. A fixed number of repository calls per batch, none per record.
   */
  private async apply(station: AuthStation, batch: IncomingBatch): Promise<BatchAck> {
    if (batch.stationId !== station.stationId) {
      throw new ForbiddenError(
        `station ${station.stationId} cannot upload as ${batch.stationId}`,
        `Trạm ${station.stationId} không được gửi dữ liệu thay trạm ${batch.stationId}`,
      );
    }
    const stationId = station.stationId;
    const receivedAt = this.clock();
    const ack: BatchAck = { ackedSeq: 0, stored: 0, duplicates: 0, rejected: [], chainBreaks: [] };
    const { candidates, invalid } = sortOut(station, batch.records);

    await this.repo.lockStation(stationId);
    const alerts: NewAlert[] = [];
    const breakAt = (seq: number, message: string) => {
      ack.chainBreaks.push({ seq, message });
      alerts.push({ stationId, kind: 'CHAIN_BREAK', seq, passId: null, passProvince: null, message, details: null, createdAt: receivedAt });
    };

    const quarantined = new Set<number>();
    for (const bad of invalid) {
      ack.rejected.push({ index: bad.index, seq: bad.seq, message: `${bad.message} (kept aside for review)` });
      if (bad.seq !== null) quarantined.add(bad.seq);
      if (await this.repo.insertReject(stationId, bad.seq, receivedAt, bad.message, boundedJson(bad.raw))) {
        alerts.push({ stationId, kind: 'INVALID_RECORD', seq: bad.seq, passId: null, passProvince: null, message: `invalid record: ${bad.message}`, details: null, createdAt: receivedAt });
      }
    }

    // Under the station's lock, one read answers every record's question: stored already (a retried
    // batch is mostly duplicates) or not, and what its neighbours on both sides hold for the chain.
    const links = await this.repo.links(stationId, seqsAround(candidates.map((c) => c.record.seq)));
    /** hash now stored at each seq this batch touched */
    const stored = new Map<number, string>();
    const fresh: Candidate[] = [];
    const conflicts: (Candidate & { storedHash: string })[] = [];
    for (const c of candidates) {
      const r = c.record;
      const known = stored.get(r.seq) ?? links.get(r.seq)?.hash;
      if (known === undefined) {
        stored.set(r.seq, r.hash);
        fresh.push(c);
      } else if (known === r.hash) {
        ack.duplicates++;
        stored.set(r.seq, r.hash);
      } else conflicts.push({ ...c, storedHash: known });
    }
    // Hashed only when new: a retried duplicate needs no hash, only a comparison with the stored one.
    const hashOk = fresh.map((c) => journalHash(c.record) === c.record.hash);
    const inserted = await this.repo.insertMany(stationId, fresh.map((c, i) => ({ record: c.record, hashOk: hashOk[i]! })), { receivedAt, checkpointId: station.checkpointId, province: station.province });
    ack.stored = inserted.size;
    fresh.forEach((c, i) => {
      if (!inserted.has(c.record.seq)) throw new Error(`seq ${c.record.seq} of ${stationId} was stored by another writer without the station lock`);
      if (!hashOk[i]) breakAt(c.record.seq, 'record hash does not match its content (altered record)');
    });
    for (const c of conflicts) {
      const r = c.record;
      const message = `seq ${r.seq} was already stored with different content; this copy is kept for review`;
      ack.rejected.push({ index: c.index, seq: r.seq, message });
      if (await this.repo.insertConflict(stationId, r.seq, receivedAt, r)) {
        alerts.push({ stationId, kind: 'SEQ_CONFLICT', seq: r.seq, passId: null, passProvince: null, message, details: { storedHash: c.storedHash, sentHash: r.hash }, createdAt: receivedAt });
      }
    }

    for (const { record: r } of fresh) {
      const prev = r.seq === 1 ? GENESIS_HASH : (stored.get(r.seq - 1) ?? links.get(r.seq - 1)?.hash);
      if (prev !== undefined && r.prevHash !== prev) breakAt(r.seq, `prevHash does not match record ${r.seq - 1} (a record altered or missing before it)`);
      if (!stored.has(r.seq + 1)) {
        const next = links.get(r.seq + 1);
        if (next && next.prevHash !== r.hash) breakAt(next.seq, `prevHash does not match record ${r.seq} (a record altered or missing before it)`);
      }
    }

    const crossed = fresh.map((c) => ({ record: c.record, checkpointId: station.checkpointId, province: station.province }));
    for (const a of await detectClones(this.repo, crossed, receivedAt)) alerts.push(a);
    await this.repo.insertAlerts(alerts);
    await withdrawExplainedClones(this.repo, crossed, receivedAt);

    // The acknowledged head moves only when the record right after it arrives (it is kept at the
    // contiguous head in the same transaction as every insert), so a long-standing gap costs nothing.
    const before = await this.repo.ackedSeq(stationId);
    const next = before + 1;
    if (fresh.some((c) => c.record.seq === next) || quarantined.has(next)) {
      // What this batch saw stored (its own records, their neighbours, its quarantined seqs) carries the
      // head without a read; the repository then looks only past it (not re-reading the batch's rows).
      let head = before;
      while (stored.has(head + 1) || links.has(head + 1) || quarantined.has(head + 1)) head++;
      ack.ackedSeq = await this.repo.contiguousFrom(stationId, head);
    } else ack.ackedSeq = before;
    if (ack.ackedSeq > before) await this.repo.setAckedSeq(stationId, ack.ackedSeq);
    return ack;
  }
}

/** Records that pass the contract and belong to this station and its lanes, in seq order; the rest with why. */
function sortOut(station: AuthStation, records: readonly unknown[]) {
  const candidates: Candidate[] = [];
  const invalid: { index: number; seq: number | null; message: string; raw: unknown }[] = [];
  records.forEach((value, index) => {
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
  return { candidates, invalid };
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly ingest: IngestService;
  }
}

export default fp(
  async (app) => {
    const client = app.database.client;
    const repo = client.dialect === 'sqlite' ? new SqliteIngestRepository(client as SqliteClient) : new PgIngestRepository(client as PgClient);
    app.decorate('ingest', new IngestService(client, repo, app.clock, app.metrics));
  },
  { name: 'ingest', fastify: '5.x', dependencies: ['database', 'metrics'] },
);
