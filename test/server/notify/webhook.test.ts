import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JournalWriter } from '../journal-fixtures.js';
import { makeTestApp, registerStation, userWithRole } from '../helpers.js';

const SECRET = 'bí mật của ban chỉ đạo 2021';
let app: FastifyInstance | null = null;
let receiver: Server | null = null;

afterEach(async () => {
  await app?.close();
  await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
  app = receiver = null;
});

type Received = { headers: IncomingMessage['headers']; body: string };

/** A local receiver on a fixed port, started when the test says so. */
function startReceiver(port: number, got: Received[]): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe('alerts to people: the outgoing webhook', () => {
  it('an F0 turned back at a checkpoint reaches the receiver signed; with the receiver down it is retried and delivered once it is up', async () => {
    const port = await freePort();
    app = await makeTestApp({ env: { ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/hook`, ALERT_WEBHOOK_SECRET: SECRET, ALERT_POLL_MS: '100' } });
    const admin = await userWithRole(app, 'admin', 79);
    const command = await userWithRole(app, 'command', 79);
    const st = await registerStation(app, admin, { stationId: 'chot-ql1a', checkpointId: 11 });
    await app.ready();
    await app.healthData.apply({ username: 'yte' }, [{ kind: 'flag', citizenId: '079555000001', name: 'Phạm Văn Một', phone: null, status: 'F0', statusAsOf: Date.now() }]);

    // the station turns the F0 back; the receiver is down
    const w = new JournalWriter(st.stationId);
    const at = Date.now();
    w.add(at, { codeKind: 'health', citizenId: '079555000001', verdict: 'DENY', reasons: ['POSITIVE_OR_CONTACT'] });
    const up = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: st.stationId, records: w.records } });
    expect(up.json()).toMatchObject({ rejected: [] });
    const sender = app.notify.webhook!;
    // found, tried and failed at least once, still queued
    await vi.waitFor(() => expect(sender.failures).toBeGreaterThanOrEqual(1), { timeout: 5000, interval: 20 });
    expect(sender.backlog).toBe(1);
    expect(sender.delivered).toBe(0);

    const got: Received[] = [];
    receiver = await startReceiver(port, got);
    // the receiver records the request before its answer reaches the sender, which only then drops it
    // from the backlog: wait for both
    await vi.waitFor(() => {
      expect(got).toHaveLength(1);
      expect(sender.backlog).toBe(0);
    }, { timeout: 10_000, interval: 20 });

    const [{ headers, body }] = got as [Received];
    const expected = `sha256=${createHmac('sha256', SECRET).update(`${headers['x-timestamp']}.${body}`).digest('hex')}`;
    expect(headers['x-signature']).toBe(expected);
    const notice = JSON.parse(body) as { kind: string; messageVi: string; checkpointId: number; key: string };
    expect(notice).toMatchObject({ kind: 'F0_F1_TURNED_BACK', checkpointId: 11, key: `turned-back:chot-ql1a:1` });
    expect(notice.messageVi).toMatch(/^Chốt 11: KHÔNG CHO QUA người F0 \(CCCD ••••••••0001\) lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(body).not.toContain('079555000001');
    expect(body).not.toContain('Phạm Văn Một');

    // the command center's notification list has it too
    const list = await app.inject({ url: '/api/v1/notifications?after=0', headers: command.headers });
    expect(list.json().items.map((n: { kind: string }) => n.kind)).toEqual(['F0_F1_TURNED_BACK']);

    // while the receiver is up, the next one goes straight through
    w.add(at + 1000, { codeKind: 'health', citizenId: '079555000001', verdict: 'DENY', reasons: ['POSITIVE_OR_CONTACT'] });
    await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: st.stationId, records: w.records } });
    await vi.waitFor(() => expect(got).toHaveLength(2), { timeout: 5000, interval: 20 });
  });

  it('refuses a webhook without a secret at start', async () => {
    await expect(makeTestApp({ env: { ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/hook' } })).rejects.toThrow(/ALERT_WEBHOOK_SECRET/);
  });
});
