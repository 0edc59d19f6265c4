import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/app.js';
import { testConfig } from '../helpers.js';

/** A raw connection to the app that has sent `text` and is known to the server. */
async function rawClient(port: number, text: string): Promise<{ socket: Socket; closed: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  socket.write(text);
  return { socket, closed };
}

describe('a server shutdown waits for requests in flight, but not for ever (SHUTDOWN_GRACE_SECONDS)', () => {
  it('cuts a connection whose client stopped mid-request once the grace period is over, instead of waiting out Node\'s 60 s headers timeout', async () => {
    const app = await buildApp(testConfig({ SHUTDOWN_GRACE_SECONDS: '1' }), { logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const connected = new Promise<void>((resolve) => app.server.once('connection', () => resolve()));
    // headers begun, never finished: the server holds the connection as a request in progress
    const { closed } = await rawClient((app.server.address() as AddressInfo).port, 'GET /healthz HTTP/1.1\r\nHost: chot\r\n');
    await connected;
    await app.close(); // without the grace period this waits 60 s, past the test's 30 s timeout
    expect(await closed).toBe(''); // cut, not answered
  });

  it('answers a request already in flight when it finishes within the grace period', async () => {
    const app = await buildApp(testConfig({ SHUTDOWN_GRACE_SECONDS: '20' }), { logger: false });
    let finish!: () => void;
    const started = new Promise<void>((resolve) => {
      app.get('/test/slow', { config: { access: 'public' } }, async () => {
        resolve();
        await new Promise<void>((r) => (finish = r));
        return { done: true };
      });
    });
    const closingBegun = new Promise<void>((resolve) => app.addHook('preClose', async () => resolve()));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { closed } = await rawClient((app.server.address() as AddressInfo).port, 'GET /test/slow HTTP/1.1\r\nHost: chot\r\nConnection: close\r\n\r\n');
    await started;
    const closing = app.close();
    // the shutdown has begun while the request is still being handled
    await closingBegun;
    finish();
    await closing;
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('{"done":true}');
  });
});
