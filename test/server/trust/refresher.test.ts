import { describe, expect, it } from 'vitest';
import { TrustRefresher, type RefreshCause } from '../../../server/services/trust/refresher.js';

/** A refresh the test lets finish: each call waits for `finish()`. */
function gatedRefresh() {
  const calls: (() => void)[] = [];
  return {
    calls,
    refresh: () => new Promise<void>((resolve) => void calls.push(resolve)),
    finish: async (i: number) => {
      calls[i]!();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('TrustRefresher', () => {
  it('never overlaps refreshes, and runs one more for requests made during one (a notification outranking the timer)', async () => {
    const g = gatedRefresh();
    const errors: unknown[] = [];
    const r = new TrustRefresher(g.refresh, (err) => errors.push(err));
    const seen: RefreshCause[] = [];
    r.on('refreshed', (cause) => seen.push(cause));
    r.request('timer');
    r.request('notified');
    r.request('timer');
    expect(g.calls).toHaveLength(1);
    await g.finish(0);
    expect(seen).toEqual(['timer']);
    // the three requests during the first ran as one, which says it was told
    expect(g.calls).toHaveLength(2);
    await g.finish(1);
    expect(seen).toEqual(['timer', 'notified']);
    await r.settled();
    expect(g.calls).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('a failed refresh goes to onError, emits nothing, and the next request runs', async () => {
    let fail = true;
    const errors: unknown[] = [];
    const r = new TrustRefresher(async () => {
      if (fail) throw new Error('database away');
    }, (err) => errors.push(err));
    const seen: RefreshCause[] = [];
    r.on('refreshed', (cause) => seen.push(cause));
    r.request('notified');
    await r.settled();
    expect(errors).toMatchObject([{ message: 'database away' }]);
    expect(seen).toEqual([]);
    fail = false;
    r.request('notified');
    await r.settled();
    expect(seen).toEqual(['notified']);
  });

  it('start refreshes on each wake of its subscription; stop unsubscribes and waits for the refresh running', async () => {
    const g = gatedRefresh();
    const r = new TrustRefresher(g.refresh, () => undefined);
    let wake!: () => void;
    let unsubscribed = false;
    await r.start(3_600_000, async (w) => {
      wake = w;
      return async () => void (unsubscribed = true);
    });
    wake();
    expect(g.calls).toHaveLength(1);
    let stopped = false;
    const stopping = r.stop().then(() => (stopped = true));
    await new Promise((res) => setImmediate(res));
    expect(unsubscribed).toBe(true);
    expect(stopped).toBe(false);
    await g.finish(0);
    await stopping;
    expect(g.calls).toHaveLength(1);
  });
});
