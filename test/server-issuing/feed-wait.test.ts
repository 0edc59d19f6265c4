import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { FeedWaitSchema, type FeedWait } from '../../shared/contracts/feed.js';
import { makeWorld, passInput, type World } from './fixtures.js';

/** The feed's doorbell: a connected station learns of a change as it commits, not a sync interval later. */
describe('feed wait (long-poll doorbell)', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.app.close());

  const head = async () => w.app.feed.head();
  const wait = (since: number, waitMs: number) => w.app.inject({ method: 'GET', url: `/api/v1/feed/wait?since=${since}&waitMs=${waitMs}`, headers: w.station });

  it('holds a station until a pass is issued, then answers moved with the new head', async () => {
    const since = await head();
    let answered = false;
    const held = wait(since, 60_000).then((r) => ((answered = true), r));
    // the request is waiting before anything changes
    while (w.app.feedWatch.waiting() === 0) await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    const issued = await w.app.inject({ method: 'POST', url: '/api/v1/passes', headers: w.transport.headers, payload: passInput() });
    expect(issued.statusCode).toBe(201);
    const res = await held;
    expect(res.statusCode).toBe(200);
    const body = res.json() as FeedWait;
    expect(Value.Check(FeedWaitSchema, body)).toBe(true);
    expect(body.moved).toBe(true);
    expect(body.head).toBeGreaterThan(since);
    // the station then fetches the change as usual
    const page = (await w.app.inject({ method: 'GET', url: `/api/v1/feed/changes?since=${since}`, headers: w.station })).json();
    expect(page.items.some((i: { type: string }) => i.type === 'pass')).toBe(true);
  });

  it('answers at once for a cursor behind the head, and moved=false when the wait runs out', async () => {
    await w.app.inject({ method: 'POST', url: '/api/v1/passes', headers: w.transport.headers, payload: passInput() });
    const now = await head();
    expect((await wait(0, 60_000)).json()).toEqual({ head: now, moved: true });
    expect((await wait(now, 20)).json()).toEqual({ head: now, moved: false });
  });

  it('is for stations only and refuses a wait beyond a minute', async () => {
    expect((await w.app.inject({ method: 'GET', url: '/api/v1/feed/wait?since=0&waitMs=10' })).statusCode).toBe(401);
    expect((await w.app.inject({ method: 'GET', url: '/api/v1/feed/wait?since=0&waitMs=10', headers: w.command.headers })).statusCode).toBe(403);
    expect((await wait(0, 600_000)).statusCode).toBe(400);
  });

  it('lets the server close while a station waits, answering it', async () => {
    const since = await head();
    const held = wait(since, 60_000);
    while (w.app.feedWatch.waiting() === 0) await new Promise((r) => setImmediate(r));
    await w.app.close();
    expect((await held).json()).toMatchObject({ moved: false });
  });
});
