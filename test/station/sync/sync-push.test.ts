import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeltaPage, FeedItem, FeedWait } from '../../../shared/contracts/feed.js';
import { RequestRejected, type ServerApi } from '../../../station/net/server-api.js';
import { SyncClient, type CacheSink } from '../../../station/sync/sync-client.js';

const HOUR = 3_600_000;
const rootPublicKey = generateKeyPairSync('ed25519').publicKey;

/** A cache at cursor 10 that never needs a snapshot. */
function cache(): CacheSink {
  let cursor = 10;
  return {
    syncState: () => ({ cursor, syncedAt: 0 }),
    applyFeedItems: (_items: readonly FeedItem[], o) => void (cursor = o.cursor),
    beginSnapshot: () => { throw new Error('no snapshot expected'); },
  };
}

/** A server whose doorbell the test answers by hand; each delta round and each ring is announced. */
function server(bell: 'held' | 'missing') {
  const rounds: number[] = [];
  let missingRings = 0;
  const rings: { since: number; signal: AbortSignal; answer: (w: FeedWait) => void }[] = [];
  let onRound: (() => void) | null = null;
  let onRing: (() => void) | null = null;
  const api = {
    changes: async (since: number): Promise<DeltaPage> => {
      rounds.push(since);
      onRound?.();
      return { items: [], cursor: since, hasMore: false };
    },
    waitForChanges: (since: number, _waitMs: number, signal: AbortSignal) => {
      if (bell === 'missing') {
        missingRings++;
        return Promise.reject(new RequestRejected(404, 'GET /api/v1/feed/wait: HTTP 404'));
      }
      return new Promise<FeedWait>((resolve, reject) => {
        rings.push({ since, signal, answer: resolve });
        signal.addEventListener('abort', () => reject(new Error('aborted')));
        onRing?.();
      });
    },
  } as unknown as ServerApi;
  const next = (what: 'round' | 'ring') => new Promise<void>((resolve) => (what === 'round' ? (onRound = resolve) : (onRing = resolve)));
  return { api, rounds, rings, next, missingRings: () => missingRings };
}

describe('SyncClient push (the feed doorbell)', () => {
  it('starts the next round as soon as the doorbell rings, not an interval later, and rings again when it times out', async () => {
    const s = server('held');
    const client = new SyncClient({ api: s.api, cache: cache(), rootPublicKey, currentTrust: () => null, intervalMs: HOUR });
    let ring = s.next('ring');
    client.start();
    await ring;
    expect(s.rounds).toEqual([10]);
    expect(s.rings.map((r) => r.since)).toEqual([10]);
    ring = s.next('ring');
    s.rings[0]!.answer({ head: 10, moved: false }); // the wait ran out with nothing new: ring again, no round
    await ring;
    expect(s.rounds).toEqual([10]);
    const round = s.next('round');
    s.rings[1]!.answer({ head: 11, moved: true });
    await round;
    expect(s.rounds).toEqual([10, 10]);
    await client.stop();
  });

  it('aborts a held doorbell when stopped', async () => {
    const s = server('held');
    const client = new SyncClient({ api: s.api, cache: cache(), rootPublicKey, currentTrust: () => null, intervalMs: HOUR });
    const ring = s.next('ring');
    client.start();
    await ring;
    await client.stop();
    expect(s.rings[0]!.signal.aborted).toBe(true);
  });

  it('polls on its interval when the server has no doorbell (404), and does not ring it again', async () => {
    const s = server('missing');
    const client = new SyncClient({ api: s.api, cache: cache(), rootPublicKey, currentTrust: () => null, intervalMs: 5 });
    client.start();
    let rounds = 0;
    while (rounds < 3) {
      await s.next('round');
      rounds++;
    }
    await client.stop();
    expect(s.rounds.length).toBeGreaterThanOrEqual(3);
    expect(s.missingRings()).toBe(1);
  });

  it('polls only when push is turned off', async () => {
    const s = server('held');
    const client = new SyncClient({ api: s.api, cache: cache(), rootPublicKey, currentTrust: () => null, intervalMs: 5, pushWaitMs: 0 });
    client.start();
    for (let i = 0; i < 2; i++) await s.next('round');
    await client.stop();
    expect(s.rings).toEqual([]);
  });
});
