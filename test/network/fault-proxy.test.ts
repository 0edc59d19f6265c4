import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../support/fault-proxy.js';

let upstream: Server;
let hits = 0;
beforeAll(async () => {
  upstream = createServer((req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url, pad: 'x'.repeat(2000) }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

const port = () => (upstream.address() as AddressInfo).port;

describe('fault proxy (the test network)', () => {
  it('forwards cleanly, adds the configured delay, and fails in each configured way', async () => {
    const proxy = new FaultProxy({ host: '127.0.0.1', port: port() }, { delayMs: 20 });
    await proxy.start();
    try {
      const t0 = performance.now();
      const ok = await fetch(`${proxy.url}/a`).then((r) => r.json() as Promise<{ path: string }>);
      expect(ok.path).toBe('/a');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(38);

      proxy.plan = { ...proxy.plan, delayMs: 0, errorRate: 1 };
      expect((await fetch(`${proxy.url}/b`)).status).toBeGreaterThanOrEqual(502);

      proxy.plan = { ...proxy.plan, errorRate: 0, lostAnswerRate: 1 };
      const before = hits;
      await expect(fetch(`${proxy.url}/c`)).rejects.toThrow();
      expect(hits).toBe(before + 1); // the server did the work; the answer was lost

      proxy.plan = { ...proxy.plan, lostAnswerRate: 0, truncateRate: 1 };
      await expect(fetch(`${proxy.url}/d`).then((r) => r.json())).rejects.toThrow();

      proxy.plan = { ...proxy.plan, truncateRate: 0, down: true };
      await expect(fetch(`${proxy.url}/e`)).rejects.toThrow();
      expect(proxy.stats).toMatchObject({ errors: 1, lostAnswers: 1, truncated: 1, resets: 1 });
    } finally {
      await proxy.stop();
    }
  });
});
