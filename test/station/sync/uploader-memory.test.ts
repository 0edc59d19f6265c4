import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { BatchAck, JournalRecord } from '../../../shared/contracts/journal.js';
import { HttpServerApi, type ServerApi } from '../../../station/net/server-api.js';
import { Uploader } from '../../../station/sync/uploader.js';
import { MemoryOutbox, records } from './upload-fakes.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** a server that keeps only weak references to what it was sent, and answers when told */
class SlowServer {
  sent: WeakRef<JournalRecord[]>[] = [];
  private answers: (() => void)[] = [];
  upload(batch: JournalRecord[]): Promise<BatchAck> {
    const last = batch[batch.length - 1]!.seq;
    const n = batch.length;
    this.sent.push(new WeakRef(batch));
    return new Promise((resolve) => this.answers.push(() => resolve({ ackedSeq: last, stored: n, duplicates: 0, rejected: [], chainBreaks: [] })));
  }
  answerNext(): void {
    this.answers.shift()!();
  }
  get waiting(): number {
    return this.answers.length;
  }
}

/** waits for `cond`, always past the current job: a WeakRef's target is kept alive until the job that made it ends */
const until = async (cond: () => boolean) => {
  do await new Promise((r) => setImmediate(r));
  while (!cond());
};

describe('uploader memory', () => {
  it('does not hold a batch\'s records while its answer is awaited (2,000 stations\' batches in one load generator came to gigabytes)', async () => {
    const server = new SlowServer();
    const outbox = new MemoryOutbox(records(30));
    const up = new Uploader({ api: { upload: (b: JournalRecord[]) => server.upload(b) } as unknown as ServerApi, outbox, batchSize: 10 });
    const drained = up.drain();
    await until(() => server.waiting === 1);
    gc();
    // the first batch goes alone; the server was handed it and the answer is pending
    expect(server.sent[0]!.deref()).toBeUndefined();
    server.answerNext();
    await until(() => server.waiting === 2); // acknowledged: two in flight now
    gc();
    expect(server.sent.map((w) => w.deref())).toEqual([undefined, undefined, undefined]);
    server.answerNext();
    server.answerNext();
    // counted from the seqs it kept: every record acknowledged once
    await expect(drained).resolves.toBe(30);
    expect(outbox.outboxBacklog()).toBe(0);
  });

  it('nor does the real HTTP client: only the request body is held while the answer is awaited', async () => {
    const sent: WeakRef<JournalRecord[]>[] = [];
    const answers: (() => void)[] = [];
    const api = new HttpServerApi({
      baseUrl: 'http://server.test', stationId: 'st-1', secret: 's',
      fetch: (_url, init) => {
        const seqs = (JSON.parse(init.body!) as { records: JournalRecord[] }).records.map((r) => r.seq);
        return new Promise((resolve) => answers.push(() => resolve({ status: 200, text: async () => JSON.stringify({ ackedSeq: seqs.at(-1), stored: seqs.length, duplicates: 0, rejected: [], chainBreaks: [] }) })));
      },
    });
    const outbox = new MemoryOutbox(records(20));
    const upload = api.upload.bind(api);
    const up = new Uploader({ api: { upload: (b: JournalRecord[]) => (sent.push(new WeakRef(b)), upload(b)) } as unknown as ServerApi, outbox, batchSize: 10 });
    const drained = up.drain();
    await until(() => answers.length === 1);
    gc();
    expect(sent[0]!.deref()).toBeUndefined();
    answers.shift()!();
    await until(() => answers.length === 1 && sent.length === 2);
    gc();
    expect(sent[1]!.deref()).toBeUndefined();
    answers.shift()!();
    await expect(drained).resolves.toBe(20);
  });
});
