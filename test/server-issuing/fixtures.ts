import { passRef } from '../../shared/codes/pass-ref.js';
import type { FastifyInstance } from 'fastify';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { Value } from '@sinclair/typebox/value';
import { publicKeyFromRaw } from '../../shared/codes/keys.js';
import { DeltaPageSchema, SnapshotPageSchema, type FeedItem } from '../../shared/contracts/feed.js';
import { TrustList } from '../../shared/trust/trust-list.js';
import type { SignedDocument } from '../../shared/trust/signed-document.js';
import { makeTestApp, testClock, userWithRole, type TestCaller } from '../server/helpers.js';

export const DAY = 86_400_000;

export interface World {
  app: FastifyInstance;
  clock: ReturnType<typeof testClock>;
  admin: TestCaller;
  transport: TestCaller;
  health: TestCaller;
  command: TestCaller;
  station: { authorization: string };
}

/** The real app on in-memory SQLite with the real migrations, users of each role in province 79 and a station. */
export async function makeWorld(env: Record<string, string> = {}): Promise<World> {
  const clock = testClock();
  const app = await makeTestApp({ clock, env });
  // scrypt runs on the libuv pool: hashing the four passwords in parallel keeps each test fast.
  const [admin, transport, health, command] = await Promise.all([
    userWithRole(app, 'admin', 79), userWithRole(app, 'transport', 79), userWithRole(app, 'health', 79), userWithRole(app, 'command', 79),
  ]);
  const { secret } = app.stations.register(
    { id: admin.id, username: admin.username, role: 'admin', province: 79 },
    { stationId: 'st-1', checkpointId: 1, name: 'Chốt 1', province: 79, lanes: [{ id: 'L1', direction: 'entry' }, { id: 'L2', direction: 'exit' }] },
  );
  return {
    app, clock, admin, transport, health, command,
    station: { authorization: `Station st-1:${secret}` },
  };
}

let plateNo = 100;
export function passInput(over: Record<string, unknown> = {}) {
  const n = plateNo++;
  return {
    plate: `51C-${String(n).padStart(3, '0')}.45`,
    company: 'Công ty Vận tải Sài Gòn',
    goods: 0,
    crew: [
      { citizenId: `0790000${String(n).padStart(5, '0')}`, name: 'Nguyễn Văn Tài', phone: '0901234567' },
      { citizenId: `0791000${String(n).padStart(5, '0')}`, name: 'Trần Thị Phụ' },
    ],
    originZone: '79-760',
    destinationZone: '74',
    routeCheckpoints: [1, 2],
    routeProvinces: [74],
    permittedStops: 'Chợ đầu mối Bình Điền',
    validTo: Date.UTC(2021, 9, 1),
    ...over,
  };
}

/** The trust list as a station would open it: root key from /trust/root, document from /trust/list. */
export async function fetchTrust(app: FastifyInstance): Promise<TrustList> {
  const root = (await app.inject({ url: '/api/v1/trust/root' })).json() as { publicKey: string };
  const list = (await app.inject({ url: '/api/v1/trust/list' })).json() as { document: SignedDocument };
  return TrustList.open(list.document, publicKeyFromRaw(Buffer.from(root.publicKey, 'base64url')));
}

// jsqr is CommonJS whose typings declare an ES default export; under NodeNext the function sits on `.default`.
const jsQR = (jsQRModule as unknown as { default: typeof jsQRModule.default }).default;

export function decodeQrPng(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data ?? null;
}

/** A minimal station cache: latest item per key, as the station applies feed items. */
export class Replica {
  readonly entries = new Map<string, FeedItem>();

  apply(items: FeedItem[]): void {
    for (const item of items) {
      if (item.type === 'delete') this.entries.delete(`${item.entity}:${item.key}`);
      else this.entries.set(Replica.keyOf(item), item);
    }
  }

  static keyOf(item: Exclude<FeedItem, { type: 'delete' }>): string {
    switch (item.type) {
      case 'pass': return `pass:${passRef(item.issuingProvince, item.passId)}`;
      case 'person': return `person:${item.citizenId}`;
      case 'zone': return `zone:${item.zone}`;
      default: return item.type;
    }
  }

  sorted(): [string, FeedItem][] {
    return [...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** The server's current state read straight from its tables, in the Replica's shape. */
export function serverState(app: FastifyInstance): [string, FeedItem][] {
  const db = app.database.sqlite;
  const r = new Replica();
  const items = (sql: string) => (db.prepare(sql).all() as { item: string }[]).map((x) => JSON.parse(x.item) as FeedItem);
  r.apply(items('SELECT item FROM trust_lists ORDER BY version DESC LIMIT 1'));
  r.apply(items('SELECT item FROM policies ORDER BY version DESC LIMIT 1'));
  r.apply(items('SELECT item FROM zones'));
  r.apply(items('SELECT item FROM passes'));
  r.apply(items('SELECT item FROM people'));
  return r.sorted();
}

export async function takeSnapshot(w: World, limit: number, between?: (page: number) => Promise<void> | void) {
  const replica = new Replica();
  let page: string | null = null;
  let cursor = -1;
  let n = 0;
  do {
    const res: { statusCode: number; body: string; json(): unknown } = await w.app.inject({ url: '/api/v1/feed/snapshot', query: { limit: String(limit), ...(page ? { page } : {}) }, headers: w.station });
    if (res.statusCode !== 200) throw new Error(`snapshot page ${n}: ${res.statusCode} ${res.body}`);
    const body: unknown = res.json();
    if (!Value.Check(SnapshotPageSchema, body)) throw new Error(`snapshot page ${n} does not match SnapshotPageSchema`);
    if (cursor === -1) cursor = body.cursor;
    else if (body.cursor !== cursor) throw new Error('snapshot cursor moved between pages');
    replica.apply(body.items);
    page = body.nextPage;
    await between?.(n);
    n++;
  } while (page !== null);
  return { replica, cursor, pages: n };
}

export async function pullDeltas(w: World, replica: Replica, since: number, limit: number): Promise<number> {
  let cursor = since;
  for (;;) {
    const res = await w.app.inject({ url: '/api/v1/feed/changes', query: { since: String(cursor), limit: String(limit) }, headers: w.station });
    if (res.statusCode !== 200) throw new Error(`changes: ${res.statusCode} ${res.body}`);
    const body = res.json();
    if (!Value.Check(DeltaPageSchema, body)) throw new Error('delta page does not match DeltaPageSchema');
    replica.apply(body.items);
    cursor = body.cursor;
    if (!body.hasMore) return cursor;
  }
}
