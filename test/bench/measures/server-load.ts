import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { FeedItem } from '../../../shared/contracts/feed.js';
import { HttpServerApi } from '../../../station/net/server-api.js';
import { openStationStore } from '../../../station/store/store.js';
import { SyncClient, type CacheSink } from '../../../station/sync/sync-client.js';
import { Uploader } from '../../../station/sync/uploader.js';
import { TrustList } from '../../../shared/trust/trust-list.js';
import type { KeyObject } from 'node:crypto';
import { fillOutbox, sealedChain } from '../lib/records.js';
import { sendInOrder } from '../lib/in-order.js';

export interface StationCredential {
  stationId: string;
  secret: string;
}

const auth = (c: StationCredential) => `Station ${c.stationId}:${c.secret}`;

/** The server alone: every snapshot page fetched and read, nothing parsed but the next-page token. */
export async function snapshotServerSide(baseUrl: string, cred: StationCredential, pageSize: number): Promise<{ seconds: number; pages: number; bytes: number }> {
  const t0 = performance.now();
  let page: string | null = null;
  let pages = 0;
  let bytes = 0;
  do {
    const q = new URLSearchParams({ limit: String(pageSize), ...(page ? { page } : {}) });
    const res = await fetch(`${baseUrl}/api/v1/feed/snapshot?${q}`, { headers: { authorization: auth(cred) } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`snapshot page: HTTP ${res.status}: ${text.slice(0, 200)}`);
    bytes += text.length;
    pages++;
    const m = /"nextPage":(null|"((?:[^"\\]|\\.)*)")\}$/.exec(text);
    if (!m) throw new Error('snapshot page without nextPage');
    page = m[2] === undefined ? null : (JSON.parse(`"${m[2]}"`) as string);
  } while (page !== null);
  return { seconds: (performance.now() - t0) / 1000, pages, bytes };
}

/**
 * The station side: a fresh store filled by the real sync client (HTTP client, contract checks,
 * signature checks, paged snapshot writer) from the server. Also times the store's part alone.
 */
export async function snapshotToStation(
  baseUrl: string, cred: StationCredential, dataDir: string, rootKey: KeyObject, pageSize: number,
): Promise<{ seconds: number; storeSeconds: number; items: number; cursor: number | null }> {
  mkdirSync(dataDir, { recursive: true });
  const store = openStationStore(join(dataDir, 'station.db'));
  let storeMs = 0;
  let items = 0;
  const timed = <T>(fn: () => T): T => {
    const t = performance.now();
    try {
      return fn();
    } finally {
      storeMs += performance.now() - t;
    }
  };
  const cache: CacheSink = {
    syncState: () => store.syncState(),
    applyFeedItems: (xs, o) => timed(() => store.applyFeedItems(xs, o)),
    beginSnapshot: () => {
      const w = timed(() => store.beginSnapshot());
      return {
        addPage: (xs: readonly FeedItem[], o?: { validate?: boolean }) => {
          items += xs.length;
          timed(() => w.addPage(xs, o));
        },
        commit: (o) => timed(() => w.commit(o)),
        abort: () => w.abort(),
      };
    },
  };
  const api = new HttpServerApi({ baseUrl, stationId: cred.stationId, secret: cred.secret, timeoutMs: 60_000 });
  const sync = new SyncClient({
    api, cache, rootPublicKey: rootKey, pageSize,
    currentTrust: () => {
      const doc = store.document('trustList');
      return doc ? TrustList.open(doc, rootKey) : null;
    },
  });
  const t0 = performance.now();
  try {
    await sync.syncOnce();
    return { seconds: (performance.now() - t0) / 1000, storeSeconds: storeMs / 1000, items, cursor: store.syncState().cursor };
  } finally {
    store.close();
  }
}

/**
 * Each station's chain of `records / stations` records (rounded up) cut into request bodies of
 * `batch`, ready to post; `records`: how many that makes in all.
 */
export function ingestBodies(creds: StationCredential[], records: number, batch: number): { bodies: string[][]; records: number } {
  const per = Math.ceil(records / creds.length);
  const bodies = creds.map((c) => {
    const chain = sealedChain(c.stationId, per);
    const out: string[] = [];
    for (let i = 0; i < chain.length; i += batch) out.push(JSON.stringify({ stationId: c.stationId, records: chain.slice(i, i + batch) }));
    return out;
  });
  return { bodies, records: per * creds.length };
}

/** Every station posts its bodies in order, `inFlight` at a time, station k to `urls[k mod n]`, all stations at once. */
export async function postBodies(urls: readonly string[], creds: StationCredential[], bodies: string[][], inFlight: number) {
  const post = async (c: StationCredential, body: string, url: string) => {
    const res = await fetch(`${url}/api/v1/ingest/batches`, { method: 'POST', headers: { authorization: auth(c), 'content-type': 'application/json' }, body });
    const ack = (await res.json()) as { stored: number; duplicates: number; rejected: unknown[]; chainBreaks: unknown[] };
    if (res.status !== 200 || ack.rejected.length > 0 || ack.chainBreaks.length > 0) throw new Error(`ingest: HTTP ${res.status} ${JSON.stringify(ack).slice(0, 300)}`);
    return ack;
  };
  const t0 = performance.now();
  const acks = await Promise.all(creds.map(async (c, k) => {
    let stored = 0;
    let duplicates = 0;
    await sendInOrder(bodies[k]!, inFlight, async (body) => {
      const a = await post(c, body, urls[k % urls.length]!);
      stored += a.stored;
      duplicates += a.duplicates;
    });
    return { stored, duplicates };
  }));
  return { seconds: (performance.now() - t0) / 1000, stored: acks.reduce((s, a) => s + a.stored, 0), duplicates: acks.reduce((s, a) => s + a.duplicates, 0) };
}

/**
 * Ingest at the server over loopback HTTP: `stations` stations each post their own chain in batches
 * of `batch`, `inFlight` requests at a time each (2, as the station's uploader keeps a second batch
 * in flight while the first is answered), all stations at once. Bodies are serialised before the
 * clock starts, so the client's work is not counted. Then the same batches again: the idempotent
 * duplicate path. `baseUrl`: one server, or several instances of one deployment (station k posts to
 * instance k mod n).
 */
export async function measureIngest(baseUrl: string | readonly string[], creds: StationCredential[], records: number, batch: number, inFlight = 2) {
  const urls = typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
  const { bodies, records: total } = ingestBodies(creds, records, batch);
  const fresh = await postBodies(urls, creds, bodies, inFlight);
  const again = await postBodies(urls, creds, bodies, inFlight);
  if (fresh.stored !== total || again.duplicates !== total) throw new Error(`ingest stored ${fresh.stored}/${total}, re-sent duplicates ${again.duplicates}/${total}`);
  return {
    records: total, batch, stations: creds.length, inFlight, seconds: round(fresh.seconds), recordsPerSec: Math.round(total / fresh.seconds),
    duplicateRecordsPerSec: Math.round(total / again.seconds),
  };
}

/** A station's outbox of `records` drained by the real uploader (default batch size) straight to the server. */
export async function measureBacklogDrain(baseUrl: string, cred: StationCredential, dataDir: string, records: number) {
  mkdirSync(dataDir, { recursive: true });
  const store = openStationStore(join(dataDir, 'station.db'));
  try {
    const tf = performance.now();
    fillOutbox(store, cred.stationId, records);
    const fillSeconds = (performance.now() - tf) / 1000;
    execFileSync('sync'); // the fill's writes are setup, not part of the drain
    const api = new HttpServerApi({ baseUrl, stationId: cred.stationId, secret: cred.secret });
    const uploader = new Uploader({ api, outbox: store });
    const t0 = performance.now();
    const sent = await uploader.drain();
    const seconds = (performance.now() - t0) / 1000;
    if (sent !== records || store.outboxBacklog() !== 0) throw new Error(`drained ${sent} of ${records}; backlog left ${store.outboxBacklog()}`);
    return { records, seconds: round(seconds), recordsPerSec: Math.round(records / seconds), fillSeconds: round(fillSeconds) };
  } finally {
    store.close();
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
