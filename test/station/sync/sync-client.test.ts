import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeltaPage, FeedItem, SnapshotPage } from '../../../shared/contracts/feed.js';
import { createTestAuthority } from '../../../hardware-sim/fixtures/authority.js';
import type { ServerApi } from '../../../station/net/server-api.js';
import { SyncClient, type CacheSink } from '../../../station/sync/sync-client.js';

const NOW = Date.UTC(2021, 8, 1, 8);
const authority = createTestAuthority({ now: NOW });
const passes = Array.from({ length: 5 }, () => authority.issuePass().facts);

/** A feed of `passes`: snapshot pages and delta pages of whatever size is asked for, recording each ask. */
function feed() {
  const asked: { kind: 'snapshot' | 'changes'; limit: number }[] = [];
  const api: Pick<ServerApi, 'snapshotPage' | 'changes'> = {
    async snapshotPage(page, limit): Promise<SnapshotPage> {
      asked.push({ kind: 'snapshot', limit });
      const from = Number(page ?? 0);
      const next = from + limit < passes.length ? String(from + limit) : null;
      return { cursor: 0, items: passes.slice(from, from + limit), nextPage: next };
    },
    async changes(since, limit): Promise<DeltaPage> {
      asked.push({ kind: 'changes', limit });
      const items = passes.slice(since, since + limit);
      return { items, cursor: since + items.length, hasMore: since + items.length < passes.length };
    },
  };
  return { api: api as ServerApi, asked };
}

/** A cache that records how it was asked to apply items. */
function sink(cursor: number | null) {
  const state = { cursor, syncedAt: null as number | null };
  const applied: { items: number; validate: boolean | undefined }[] = [];
  const cache: CacheSink = {
    syncState: () => ({ ...state }),
    applyFeedItems: (items: readonly FeedItem[], o) => {
      applied.push({ items: items.length, validate: o.validate });
      state.cursor = o.cursor;
    },
    beginSnapshot: () => ({
      addPage: (items, o) => applied.push({ items: items.length, validate: o?.validate }),
      commit: (o) => (state.cursor = o.cursor),
      abort: () => {},
    }),
  };
  return { cache, applied, state };
}

const rootPublicKey = generateKeyPairSync('ed25519').publicKey;

describe('SyncClient paging', () => {
  it('takes deltas in small pages and snapshots in large ones, and does not have the store check items the API already checked', async () => {
    const { api, asked } = feed();
    const { cache, applied, state } = sink(null);
    const client = new SyncClient({ api, cache, rootPublicKey, currentTrust: () => null, pageSize: 3, deltaPageSize: 2, clock: () => NOW });
    await client.syncOnce();
    expect(asked.filter((a) => a.kind === 'snapshot').map((a) => a.limit)).toEqual([3, 3]);
    expect(applied.slice(0, 2)).toEqual([{ items: 3, validate: false }, { items: 2, validate: false }]);

    state.cursor = 0; // as if the snapshot were older: the deltas replay every pass, two at a time
    applied.length = 0;
    asked.length = 0;
    await client.syncOnce();
    expect(asked.map((a) => `${a.kind}:${a.limit}`)).toEqual(['changes:2', 'changes:2', 'changes:2']);
    expect(applied).toEqual([{ items: 2, validate: false }, { items: 2, validate: false }, { items: 1, validate: false }]);
    expect(state.cursor).toBe(passes.length);
  });

  it('asks for delta pages of 1,000 items unless told otherwise', async () => {
    const { api, asked } = feed();
    const { cache } = sink(passes.length);
    await new SyncClient({ api, cache, rootPublicKey, currentTrust: () => null, clock: () => NOW }).syncOnce();
    expect(asked).toEqual([{ kind: 'changes', limit: 1000 }]);
  });
});

describe('SyncClient refuses unverified signed documents', () => {
  const other = createTestAuthority({ now: NOW });
  const root = authority.keys.root.publicKey;
  const deltaOf = (items: FeedItem[]): ServerApi =>
    ({ changes: async (): Promise<DeltaPage> => ({ items, cursor: 1, hasMore: false }) }) as unknown as ServerApi;

  it('a trust list not signed by our root, or a policy with no trust list to check it, is refused and nothing is applied', async () => {
    const cases: [FeedItem[], typeof authority.trust | null][] = [
      [[{ type: 'trustList', document: other.trustDocument }, passes[0]!], null],
      [[{ type: 'policy', document: authority.policyDocument }], null],
      [[{ type: 'policy', document: other.policyDocument }], authority.trust],
    ];
    for (const [items, current] of cases) {
      const { cache, applied } = sink(0);
      const client = new SyncClient({ api: deltaOf(items), cache, rootPublicKey: root, currentTrust: () => current, clock: () => NOW });
      await expect(client.syncOnce()).rejects.toThrow(/feed refused/);
      expect(applied).toEqual([]);
    }
  });

  it('a genuine trust list and policy in the same page are accepted', async () => {
    const { cache, applied } = sink(0);
    const items: FeedItem[] = [{ type: 'trustList', document: authority.trustDocument }, { type: 'policy', document: authority.policyDocument }];
    await new SyncClient({ api: deltaOf(items), cache, rootPublicKey: root, currentTrust: () => null, clock: () => NOW }).syncOnce();
    expect(applied).toEqual([{ items: 2, validate: false }]);
  });
});
