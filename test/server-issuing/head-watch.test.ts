import { describe, expect, it } from 'vitest';
import { FeedHeadWatch, type WakeSubscription } from '../../server/services/feed/head-watch.js';

/** A feed head the test moves by hand, counting reads. */
function headSource(start = 10) {
  let head = start;
  let reads = 0;
  return { head: async () => (reads++, head), set: (h: number) => void (head = h), reads: () => reads };
}

/** A wake-up channel the test fires by hand, as LISTEN feed_change would. */
function wakeChannel() {
  let wake: (() => void) | null = null;
  let stopped = false;
  const subscribe: WakeSubscription = async (w) => {
    wake = w;
    return async () => void (stopped = true);
  };
  return { subscribe, fire: () => wake?.(), stopped: () => stopped };
}

const NEVER = 3_600_000;

describe('feed head watch (long-poll wake-ups)', () => {
  it('releases a waiter when a wake-up finds the head past its cursor, and not before', async () => {
    const src = headSource(10);
    const channel = wakeChannel();
    const watch = new FeedHeadWatch(src, NEVER);
    await watch.listen(channel.subscribe);
    let settled = false;
    const waiting = watch.waitBeyond(10, NEVER).then((moved) => ((settled = true), moved));
    channel.fire(); // a commit that did not move the head past 10 (another table, a rolled-back change)
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    src.set(11);
    channel.fire();
    expect(await waiting).toBe(true);
    expect(watch.waiting()).toBe(0);
    await watch.stop();
    expect(channel.stopped()).toBe(true);
  });

  it('finds a change by polling when no wake-up comes (the fallback)', async () => {
    const src = headSource(5);
    const watch = new FeedHeadWatch(src, 5);
    const waiting = watch.waitBeyond(5, NEVER);
    src.set(6);
    expect(await waiting).toBe(true);
    await watch.stop();
  });

  it('answers at once for a cursor already behind the head, and false when the wait runs out', async () => {
    const src = headSource(20);
    const watch = new FeedHeadWatch(src, NEVER);
    expect(await watch.waitBeyond(19, NEVER)).toBe(true);
    expect(await watch.waitBeyond(20, 10)).toBe(false);
    expect(watch.waiting()).toBe(0);
  });

  it('serves many waiting stations with one read per wake-up, releasing only those passed', async () => {
    const src = headSource(100);
    const channel = wakeChannel();
    const watch = new FeedHeadWatch(src, NEVER);
    await watch.listen(channel.subscribe);
    const behind = Array.from({ length: 500 }, () => watch.waitBeyond(100, NEVER));
    const ahead = watch.waitBeyond(101, NEVER);
    await new Promise((r) => setImmediate(r));
    const readsBefore = src.reads();
    src.set(101);
    channel.fire();
    expect(await Promise.all(behind)).toEqual(behind.map(() => true));
    expect(src.reads() - readsBefore).toBe(1);
    expect(watch.waiting()).toBe(1);
    await watch.stop();
    expect(await ahead).toBe(false);
  });

  it('keeps waiting through a failed read and reports it', async () => {
    let fail = true;
    let head = 1;
    const errors: unknown[] = [];
    const watch = new FeedHeadWatch({ head: async () => { if (fail) throw new Error('connection lost'); return head; } }, 5, (e) => errors.push(e));
    const waiting = watch.waitBeyond(1, NEVER);
    await new Promise((r) => setTimeout(r, 0));
    fail = false;
    head = 2;
    expect(await waiting).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    await watch.stop();
  });
});
