import fp from 'fastify-plugin';
import type { BatchAck, JournalRecord } from '../../../shared/contracts/journal.js';
import { GENESIS_HASH, journalHash } from '../../../shared/journal/hash-chain.js';
import type { AuthStation } from '../../auth/access.js';
import { ForbiddenError } from '../../domain-errors.js';
import type { ServerMetrics } from '../../plugins/metrics.js';
import { IngestAdmission } from './admission.js';
import { detectClones, passesJudged, withdrawExplainedClones } from './clone-detector.js';
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

/** one upload in a group */
interface Upload {
  station: AuthStation;
  batch: IncomingBatch;
}

/** most records in one group: a backlog's batches of 1,000 are grouped a few at a time */
const GROUP_MAX_RECORDS = 5000;

/**
 * Stations' journal uploads. Idempotent by (stationId, seq): a re-sent identical record is a
 * duplicate; a different record under a stored seq is a conflict, kept aside and raised to the command
 * center, never merged. A record that fails validation is reported in `rejected` and kept as sent in
 * quarantine (journal_rejects); its seq then counts for the acknowledgement, so one bad record cannot
 * hold back the station's outbox, and nothing the station sent is lost. Each station's hash chain is
 * checked as records arrive, in any order: a record is checked against its stored neighbours on both
 * sides.
 *
 * Uploads that arrive together (2,000 stations, each sending what it decided in the last second) are
 * stored together (`ingestGrouped`, server/db/group-commit.ts): one transaction, and one statement per
 * step for the whole group, whatever its stations, so the cost per upload falls as the load rises.
 * Each station's batches apply one at a time, on any number of server instances (`lockStations`).
 */
export class IngestService {
  private readonly grouped: GroupCommit<Upload, BatchAck>;

  constructor(
    private readonly client: SqlClient,
    private readonly repo: IngestRepository,
    private readonly clock: () => number,
    private readonly metrics: ServerMetrics | null = null,
  ) {
    this.grouped = new GroupCommit(client, (uploads) => this.apply(uploads), { size: (u) => u.batch.records.length, maxSize: GROUP_MAX_RECORDS });
  }

  /** One batch, one transaction. */
  async ingest(station: AuthStation, batch: IncomingBatch): Promise<BatchAck> {
    assertOwn(station, batch);
    const [ack] = await this.client.transaction(() => this.apply([{ station, batch }]));
    this.count(ack!);
    return ack!;
  }

  /**
   * The batch in the group of those that arrived with it; answered once the group is durable. A group
   * commits as one, so a station's batch may be acknowledged beyond itself when its next batch was in
   * the same group (the uploader keeps two in flight).
   */
  async ingestGrouped(station: AuthStation, batch: IncomingBatch): Promise<BatchAck> {
    assertOwn(station, batch);
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
   * The work of a group of uploads, in arrival order, inside its transaction, holding the stations'
   * ingest locks. A fixed number of repository calls per group, none per record or per upload (bar
   * the rare invalid or conflicting record).
   */
  private async apply(uploads: readonly Upload[]): Promise<BatchAck[]> {
    const receivedAt = this.clock();
    const work = uploads.map(({ station, batch }) => ({
      station, ack: { ackedSeq: 0, stored: 0, duplicates: 0, rejected: [], chainBreaks: [] } as BatchAck, ...sortOut(station, batch.records),
      fresh: [] as Candidate[], conflicts: [] as (Candidate & { storedHash: string })[],
    }));
    const stationIds = [...new Set(uploads.map((u) => u.station.stationId))];
    await this.repo.lockStations(stationIds);
    const alerts: NewAlert[] = [];
    const breakAt = (ack: BatchAck, stationId: string, seq: number, message: string) => {
      ack.chainBreaks.push({ seq, message });
      alerts.push({ stationId, kind: 'CHAIN_BREAK', seq, passId: null, passProvince: null, message, details: null, createdAt: receivedAt });
    };

    /** seqs quarantined now, by station: they count for the acknowledgement */
    const quarantined = new Map<string, Set<number>>(stationIds.map((id) => [id, new Set()]));
    for (const { station: { stationId }, invalid, ack } of work) {
      for (const bad of invalid) {
        ack.rejected.push({ index: bad.index, seq: bad.seq, message: `${bad.message} (kept aside for review)` });
        if (bad.seq !== null) quarantined.get(stationId)!.add(bad.seq);
        if (await this.repo.insertReject(stationId, bad.seq, receivedAt, bad.message, boundedJson(bad.raw))) {
          alerts.push({ stationId, kind: 'INVALID_RECORD', seq: bad.seq, passId: null, passProvince: null, message: `invalid record: ${bad.message}`, details: null, createdAt: receivedAt });
        }
      }
    }

    // Under the stations' locks, one read answers every record's question: stored already (a retried
    // batch is mostly duplicates) or not, and what its neighbours on both sides hold for the chain; and
    // where each station's acknowledged head stands (only this group's transaction can move it now).
    const wanted = new Map<string, number[]>(stationIds.map((id) => [id, []]));
    for (const w of work) wanted.get(w.station.stationId)!.push(...w.candidates.map((c) => c.record.seq));
    const { links, acked: before } = await this.repo.readUnderLocks(new Map([...wanted].map(([id, seqs]) => [id, seqsAround(seqs)])));
    /** hash now stored at each seq the group touched, by station */
    const stored = new Map<string, Map<number, string>>(stationIds.map((id) => [id, new Map()]));
    for (const w of work) {
      const mine = stored.get(w.station.stationId)!;
      const theirs = links.get(w.station.stationId)!;
      for (const c of w.candidates) {
        const r = c.record;
        const known = mine.get(r.seq) ?? theirs.get(r.seq)?.hash;
        if (known === undefined) {
          mine.set(r.seq, r.hash);
          w.fresh.push(c);
        } else if (known === r.hash) {
          w.ack.duplicates++;
          mine.set(r.seq, r.hash);
        } else w.conflicts.push({ ...c, storedHash: known });
      }
    }
    // Hashed only when new: a retried duplicate needs no hash, only a comparison with the stored one.
    const hashOk = work.map((w) => w.fresh.map((c) => journalHash(c.record) === c.record.hash));
    const inserted = await this.repo.insertMany(work.map((w, k) => ({
      stationId: w.station.stationId,
      records: w.fresh.map((c, i) => ({ record: c.record, hashOk: hashOk[k]![i]! })),
      ctx: { receivedAt, checkpointId: w.station.checkpointId, province: w.station.province },
    })));
    work.forEach((w, k) => {
      const stationId = w.station.stationId;
      w.ack.stored = w.fresh.length;
      w.fresh.forEach((c, i) => {
        if (!inserted.get(stationId)?.has(c.record.seq)) throw new Error(`seq ${c.record.seq} of ${stationId} was stored by another writer without the station lock`);
        if (!hashOk[k]![i]) breakAt(w.ack, stationId, c.record.seq, 'record hash does not match its content (altered record)');
      });
    });
    for (const { station: { stationId }, conflicts, ack } of work) {
      for (const c of conflicts) {
        const r = c.record;
        const message = `seq ${r.seq} was already stored with different content; this copy is kept for review`;
        ack.rejected.push({ index: c.index, seq: r.seq, message });
        if (await this.repo.insertConflict(stationId, r.seq, receivedAt, r)) {
          alerts.push({ stationId, kind: 'SEQ_CONFLICT', seq: r.seq, passId: null, passProvince: null, message, details: { storedHash: c.storedHash, sentHash: r.hash }, createdAt: receivedAt });
        }
      }
    }

    for (const { station: { stationId }, fresh, ack } of work) {
      const mine = stored.get(stationId)!;
      const theirs = links.get(stationId)!;
      for (const { record: r } of fresh) {
        const prev = r.seq === 1 ? GENESIS_HASH : (mine.get(r.seq - 1) ?? theirs.get(r.seq - 1)?.hash);
        if (prev !== undefined && r.prevHash !== prev) breakAt(ack, stationId, r.seq, `prevHash does not match record ${r.seq - 1} (a record altered or missing before it)`);
        if (!mine.has(r.seq + 1)) {
          const next = theirs.get(r.seq + 1);
          if (next && next.prevHash !== r.hash) breakAt(ack, stationId, next.seq, `prevHash does not match record ${r.seq} (a record altered or missing before it)`);
        }
      }
    }

    const crossed = work.flatMap((w) => w.fresh.map((c) => ({ record: c.record, checkpointId: w.station.checkpointId, province: w.station.province })));
    await this.repo.lockPasses(passesJudged(crossed));
    for (const a of await detectClones(this.repo, crossed, receivedAt)) alerts.push(a);
    await this.repo.insertAlerts(alerts);
    await withdrawExplainedClones(this.repo, crossed, receivedAt);

    // The acknowledged head moves only when the record right after it arrives (it is kept at the
    // contiguous head in the same transaction as every insert), so a long-standing gap costs nothing.
    const arrived = new Map<string, Set<number>>(stationIds.map((id) => [id, new Set(quarantined.get(id))]));
    for (const w of work) for (const c of w.fresh) arrived.get(w.station.stationId)!.add(c.record.seq);
    // What the group saw stored (its records, their neighbours, its quarantined seqs) carries each
    // moving head without a read; the repository then looks only past it (not re-reading the rows).
    const carried = new Map<string, number>();
    for (const [id, seq] of before) {
      if (!arrived.get(id)!.has(seq + 1)) continue;
      const [mine, theirs, kept] = [stored.get(id)!, links.get(id)!, quarantined.get(id)!];
      let head = seq;
      while (mine.has(head + 1) || theirs.has(head + 1) || kept.has(head + 1)) head++;
      carried.set(id, head);
    }
    const heads = await this.repo.advanceHeads(carried);
    const raised = new Map([...heads].filter(([id, head]) => head > before.get(id)!));
    for (const w of work) w.ack.ackedSeq = raised.get(w.station.stationId) ?? before.get(w.station.stationId)!;
    return work.map((w) => w.ack);
  }
}

function assertOwn(station: AuthStation, batch: IncomingBatch): void {
  if (batch.stationId !== station.stationId) {
    throw new ForbiddenError(
      `station ${station.stationId} cannot upload as ${batch.stationId}`,
      `Trạm ${station.stationId} không được gửi dữ liệu thay trạm ${batch.stationId}`,
    );
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
    /** how many records this instance may hold unanswered (server/routes/ingest.ts refuses past it) */
    readonly ingestAdmission: IngestAdmission;
  }
}

export default fp(
  async (app) => {
    const client = app.database.client;
    const repo = client.dialect === 'sqlite' ? new SqliteIngestRepository(client as SqliteClient) : new PgIngestRepository(client as PgClient);
    app.decorate('ingest', new IngestService(client, repo, app.clock, app.metrics));
    // a rate needs a monotonic clock, not the wall clock that stamps records (tests move that by hand)
    const gauge = app.metrics.ingestQueuedRecords;
    app.decorate('ingestAdmission', new IngestAdmission({
      maxRecords: app.config.ingestQueueMaxRecords, clock: () => performance.now(), onChange: (held) => gauge.set(held),
    }));
  },
  { name: 'ingest', fastify: '5.x', dependencies: ['database', 'metrics'] },
);
