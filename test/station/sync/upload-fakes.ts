import type { BatchAck, JournalRecord } from '../../../shared/contracts/journal.js';
import { TransientServerError, type ServerApi } from '../../../station/net/server-api.js';
import type { OutboxSource } from '../../../station/sync/uploader.js';

/** Test doubles of the uploader's two sides, shared by the uploader's tests. */

export function records(n: number): JournalRecord[] {
  return Array.from({ length: n }, (_, i) => ({ seq: i + 1 }) as JournalRecord);
}

/** An outbox in memory with the same contract as the store's: the journal's rows and an upload watermark. */
export class MemoryOutbox implements OutboxSource {
  watermark = 0;
  constructor(public rows: JournalRecord[]) {}
  outboxBatch(limit: number, afterSeq = 0) {
    return this.rows.filter((r) => r.seq > Math.max(afterSeq, this.watermark)).slice(0, limit);
  }
  ackOutbox(upto: number) {
    this.watermark = Math.max(this.watermark, upto);
  }
  ackedSeq() {
    return this.watermark;
  }
  rewindOutbox(to: number) {
    const again = Math.max(0, this.watermark - to);
    this.watermark = Math.min(this.watermark, to);
    return again;
  }
  outboxBacklog() {
    return this.rows.filter((r) => r.seq > this.watermark).length;
  }
}

/**
 * A server that stores by seq and acknowledges the highest seq with no gap, failing on demand: the
 * link down, the answer lost after storing, or busy (refused before storing, with a Retry-After).
 */
export class FlakyServer implements Pick<ServerApi, 'upload'> {
  stored = new Map<number, number>();
  failNext: ('ok' | 'network' | 'lost-ack' | { busyMs: number })[] = [];
  calls = 0;
  /** Date.now() at each call (the fake clock under fake timers) */
  callTimes: number[] = [];
  async upload(batch: JournalRecord[]): Promise<BatchAck> {
    this.calls++;
    this.callTimes.push(Date.now());
    const fault = this.failNext.shift();
    if (fault === 'network') throw new TransientServerError('connection reset');
    if (typeof fault === 'object') throw new TransientServerError('HTTP 503 (busy)', fault.busyMs);
    for (const r of batch) this.stored.set(r.seq, (this.stored.get(r.seq) ?? 0) + 1);
    if (fault === 'lost-ack') throw new TransientServerError('answer lost');
    let acked = 0;
    while (this.stored.has(acked + 1)) acked++;
    return { ackedSeq: acked, stored: batch.length, duplicates: 0, rejected: [], chainBreaks: [] };
  }
}

