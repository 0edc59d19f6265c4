import fp from 'fastify-plugin';

/**
 * A shutdown waits for the requests in flight, but not for ever. Fastify's close stops listening,
 * lets the preClose hooks release the long-polls (the feed's doorbell) and closes idle keep-alive
 * connections, then waits for every other connection to end. A connection whose client vanished
 * mid-request without a FIN (a station's link worker stopped, a laptop's lid shut, a NAT that forgot
 * the flow) would hold that wait until Node's headers or request timeout (60 s, 300 s): a rolling
 * deploy or a test's teardown stalled by one client. After `graceMs` the connections still open are
 * cut and logged; a station whose upload or heartbeat was cut sends it again (every write is idempotent).
 */
export default fp<{ graceMs: number }>(
  async (app, { graceMs }) => {
    app.addHook('preClose', async () => {
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
