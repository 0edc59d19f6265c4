import fp from 'fastify-plugin';

/**
 * A shutdown waits for the requests in flight, but not for ever. Fastify's close stops listening,
 * lets the preClose hooks release the long-polls (the feed's doorbell) and closes idle keep-alive
 * connections, then waits for every other connection to end. A connection whose client stopped
 * mid-request and never closed it (a NAT that forgot the flow, a client that hung; seen once in a
 * test's teardown, cause not found) would hold that wait until Node's headers or request timeout
 * (60 s, 300 s): a rolling deploy stalled by one client. After `graceMs` the connections still open
 * are cut and logged; a station whose upload or heartbeat was cut sends it again (every write is
 * idempotent). An app that never listened (inject only) has no connections and arms nothing.
 */
export default fp<{ graceMs: number }>(
  async (app, { graceMs }) => {
    app.addHook('preClose', async () => {
      if (!app.server.listening) return;
      const timer = setTimeout(() => {
        app.log.warn({ graceMs }, 'shutdown: connections still open after the grace period are cut');
        app.server.closeAllConnections();
      }, graceMs);
      timer.unref();
      app.server.once('close', () => clearTimeout(timer));
    });
  },
  { name: 'bounded-shutdown', fastify: '5.x' },
);
