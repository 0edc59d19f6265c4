import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Heartbeat } from '../../../shared/contracts/heartbeat.js';
import { makeTestApp, registerStation, testClock, userWithRole, type TestStation } from '../helpers.js';
import { journalChain } from '../journal-fixtures.js';

const stored = async (app: FastifyInstance, stationId: string) =>
  (await app.database.client.get<{ n: number }>('SELECT count(*) AS n FROM journal WHERE station_id = ?', [stationId]))!.n;

/** A saturated instance refuses uploads at once with 503 and Retry-After, stores nothing of them, and keeps serving the rest. */
describe('ingest route: admission control', () => {
  let app: FastifyInstance;
  let st: TestStation;
  const clock = testClock();

  beforeEach(async () => {
    app = await makeTestApp({ clock, env: { INGEST_QUEUE_MAX_RECORDS: '50' } });
    st = await registerStation(app, await userWithRole(app, 'admin', 1));
  });
  afterEach(async () => app.close());

  /** Another station's upload of `records` still in the group commit: the queue is full while it is held. */
  const occupy = (records: number) => app.ingestAdmission.admit(records)!;
  const upload = (from: number, n: number) => ({ stationId: st.stationId, records: journalChain(st.stationId, from + n - 1).slice(from - 1) });

  it('answers 503 INGEST_BUSY with Retry-After at once, stores nothing, counts the refusal and still takes heartbeats', async () => {
    const busy = occupy(50);
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: upload(1, 20) });
    expect(res.statusCode).toBe(503);
    const seconds = Number(res.headers['retry-after']);
    expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= 30).toBe(true);
    expect(res.json()).toMatchObject({ statusCode: 503, code: 'INGEST_BUSY', retryAfterSeconds: seconds, messageVi: expect.stringContaining('Máy chủ đang bận') });
    expect(await stored(app, st.stationId)).toBe(0);
    expect(app.ingestAdmission.held).toBe(50); // the refused upload holds nothing

    const hb = await app.inject({
      method: 'POST', url: '/api/v1/stations/heartbeat', headers: st.headers,
      payload: {
        stationId: st.stationId, softwareVersion: '0.1.0', clock: clock(), cacheCursor: 0, cacheAgeMs: 0, outboxBacklog: 20, lastSeq: 20, scanners: [],
      } satisfies Heartbeat,
    });
    expect(hb.statusCode).toBe(200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^ingest_refused_total 1$/m);
    expect(metrics.body).toMatch(/^ingest_queued_records 50$/m);

    busy.done(true);
    const again = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: upload(1, 20) });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ ackedSeq: 20, stored: 20 });
    expect(await stored(app, st.stationId)).toBe(20);
    expect(app.ingestAdmission.held).toBe(0);
  });

  it('refuses the second of two uploads arriving together past a bound the first fills, and stores only the first', async () => {
    await app.close();
    app = await makeTestApp({ clock, env: { INGEST_QUEUE_MAX_RECORDS: '1' } });
    st = await registerStation(app, await userWithRole(app, 'admin', 1));
    const [first, second] = await Promise.all([
      app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: upload(1, 10) }),
      app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: upload(11, 10) }),
    ]);
    expect([first.statusCode, second.statusCode]).toEqual([200, 503]);
    expect(second.json()).toMatchObject({ code: 'INGEST_BUSY' });
    expect(await stored(app, st.stationId)).toBe(10);
    expect(app.ingestAdmission.held).toBe(0);
  });

  it('checks the credential before admission: a bad one is 401 even when the queue is full', async () => {
    const busy = occupy(50);
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: { authorization: `Station ${st.stationId}:wrong` }, payload: upload(1, 1) });
    expect(res.statusCode).toBe(401);
    busy.done(false);
  });

  it('releases the hold of an upload refused after admission (invalid body) and of one answered', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: st.stationId, records: [] } });
    expect(bad.statusCode).toBe(400);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: upload(1, 5) });
    expect(ok.statusCode).toBe(200);
    expect(app.ingestAdmission.held).toBe(0);
  });

  it('keeps a keep-alive connection usable after refusing an upload whose body it never read', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    let connections = 0;
    app.server.on('connection', () => connections++);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) => new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1', port, agent, method: 'POST', path: '/api/v1/ingest/batches',
        headers: { ...st.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
    try {
      const busy = occupy(50);
      // a full batch, about half a megabyte, refused before a byte of it is parsed
      const refused = await post(JSON.stringify(upload(1, 1000)));
      expect(refused.status).toBe(503);
      expect(refused.headers.connection).not.toBe('close');
      expect(JSON.parse(refused.text)).toMatchObject({ code: 'INGEST_BUSY' });
      busy.done(true);

      const accepted = await post(JSON.stringify(upload(1, 1000)));
      expect(accepted.status).toBe(200);
      expect(JSON.parse(accepted.text)).toMatchObject({ ackedSeq: 1000, stored: 1000 });
      expect(connections).toBe(1);
      expect(await stored(app, st.stationId)).toBe(1000);
    } finally {
      agent.destroy();
    }
  });
});
