import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeTestApp } from '../server/helpers.js';

const SCOPE = { checkpointId: 7901, province: 79 };
const actor = { username: 'health79', province: 79 };

type Page = { cursor: number; items: { type: string; zone?: string; level?: number }[]; nextPage: string | null };

async function page(app: FastifyInstance, token: string | undefined, limit: number): Promise<Page> {
  const answer = await app.feed.snapshot(SCOPE, token, limit);
  if (answer.kind !== 'page') throw new Error(`snapshot answered ${answer.body.code}`);
  return JSON.parse(answer.json) as Page;
}

describe('a snapshot page and a write transaction open at the same time', () => {
  let app: FastifyInstance | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('never reads the uncommitted write: a rolled-back change leaves the row in the snapshot as it was', async () => {
    app = await makeTestApp();
    await app.zones.set(actor, '79', 3);
    // The snapshot's cursor is fixed by its first page (the trust list alone).
    const first = await page(app, undefined, 1);
    expect(first.items.map((i) => i.type)).toEqual(['trustList']);

    // Another request's transaction changes the zone (its row now names a change after the cursor) and is held open.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let changed!: () => void;
    const inside = new Promise<void>((resolve) => (changed = resolve));
    const a = app;
    const tx = a.database.client.transaction(async () => {
      await a.zones.set(actor, '79', 4);
      changed();
      await held;
      throw new Error('the request fails after its write');
    });
    await inside;
    const rest = page(app, first.nextPage!, 100);
    release();
    await expect(tx).rejects.toThrow('fails after its write');

    // The station still receives the zone, at the level that stayed: nothing after its cursor will bring it.
    const zones = (await rest).items.filter((i) => i.type === 'zone');
    expect(zones).toEqual([{ type: 'zone', zone: '79', level: 3 }]);
    const since = await app.feed.changes(SCOPE, first.cursor, 100);
    expect(since.kind === 'page' && (JSON.parse(since.json) as { items: unknown[] }).items).toEqual([]);
  });
});
