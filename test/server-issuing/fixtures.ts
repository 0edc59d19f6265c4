import { passRef } from '../../shared/codes/pass-ref.js';
import type { FastifyInstance } from 'fastify';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { Value } from '@sinclair/typebox/value';
import { publicKeyFromRaw } from '../../shared/codes/keys.js';
import { DeltaPageSchema, SnapshotPageSchema, type FeedItem, type PassFacts, type PersonFacts } from '../../shared/contracts/feed.js';
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
  const { secret } = await app.stations.register(
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

const statusLine = (p: { issuingProvince: number; passId: number }, status: 'SUSPENDED' | 'REVOKED'): FeedItem =>
  ({ type: 'passStatus', issuingProvince: p.issuingProvince, passId: p.passId, status, since: 0 });

/** The station the world registers: checkpoint 1 of province 79. */
export const STATION_SCOPE = { checkpointId: 1, province: 79 } as const;

/**
 * A minimal station cache, as the station applies feed items: latest item per key; a pass keeps its
 * line of the national status list in step and its delete takes that line with it; a whole person
 * is kept only as a flag. Status lines are compared by status (their `since` is informative).
 */
export class Replica {
  readonly entries = new Map<string, FeedItem>();

  apply(items: FeedItem[]): void {
    for (const item of items) {
      if (item.type === 'delete') {
        this.entries.delete(`${item.entity === 'person' ? 'flag' : item.entity}:${item.key}`);
        if (item.entity === 'pass') this.entries.delete(`passStatus:${item.key}`);
      } else if (item.type === 'pass') {
        const ref = passRef(item.issuingProvince, item.passId);
        this.entries.set(`pass:${ref}`, item);
        if (item.status === 'ACTIVE') this.entries.delete(`passStatus:${ref}`);
        else this.entries.set(`passStatus:${ref}`, statusLine(item, item.status));
      } else if (item.type === 'passStatus') this.entries.set(`passStatus:${passRef(item.issuingProvince, item.passId)}`, statusLine(item, item.status));
      else if (item.type === 'person') throw new Error(`a whole person was sent to a station: ${item.citizenId}`);
      else this.entries.set(Replica.keyOf(item), item);
    }
  }

  static keyOf(item: Exclude<FeedItem, { type: 'delete' | 'pass' | 'passStatus' | 'person' }>): string {
    switch (item.type) {
      case 'flag': return `flag:${item.citizenId}`;
      case 'zone': return `zone:${item.zone}`;
      default: return item.type;
    }
  }

  sorted(): [string, FeedItem][] {
    return [...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/**
 * What the station should hold, read straight from the server's tables: the passes whose route names
 * its checkpoint or province, every pass not ACTIVE as a status line, every person F0/F1 or last
 * tested positive as a flag; never another person.
 */
export async function serverState(app: FastifyInstance, scope: { checkpointId: number; province: number } = STATION_SCOPE): Promise<[string, FeedItem][]> {
  const r = new Replica();
  const items = async (sql: string) => (await app.database.client.all<{ item: string }>(sql)).map((x) => JSON.parse(x.item) as FeedItem);
  r.apply(await items('SELECT item FROM trust_lists ORDER BY version DESC LIMIT 1'));
  r.apply(await items('SELECT item FROM policies ORDER BY version DESC LIMIT 1'));
  r.apply(await items('SELECT item FROM zones'));
  for (const p of (await items('SELECT item FROM passes')) as PassFacts[]) {
    const ref = passRef(p.issuingProvince, p.passId);
    if (p.routeCheckpoints.includes(scope.checkpointId) || p.routeProvinces.includes(scope.province)) r.entries.set(`pass:${ref}`, p);
    if (p.status !== 'ACTIVE') r.entries.set(`passStatus:${ref}`, statusLine(p, p.status));
  }
  for (const p of (await items('SELECT item FROM people')) as PersonFacts[]) {
    const positive = p.test?.result === 'POSITIVE' ? p.test : null;
    if (p.status !== 'NONE' || positive) r.entries.set(`flag:${p.citizenId}`, { type: 'flag', citizenId: p.citizenId, status: p.status, statusAsOf: p.statusAsOf, test: positive });
  }
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
