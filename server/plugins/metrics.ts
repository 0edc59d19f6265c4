import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly ingestRecords: Counter<'outcome'>;
  readonly chainBreaks: Counter;
  readonly heartbeats: Counter;
  /** uploads refused by ingest admission control (503 INGEST_BUSY): the instance is shedding load */
  readonly ingestRefused: Counter;
  /** records accepted but not yet answered (admission control's measure) */
  readonly ingestQueuedRecords: Gauge;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** one registry per app (not prom-client's global one), so several apps can run in one test process */
    readonly metrics: ServerMetrics;
  }
}

export default fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const metrics: ServerMetrics = {
      registry,
      httpDuration: new Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request duration by route',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
        registers: [registry],
      }),
      ingestRecords: new Counter({ name: 'ingest_records_total', help: 'journal records received, by outcome', labelNames: ['outcome'], registers: [registry] }),
      chainBreaks: new Counter({ name: 'ingest_chain_breaks_total', help: 'hash chain breaks detected', registers: [registry] }),
      heartbeats: new Counter({ name: 'station_heartbeats_total', help: 'station heartbeats received', registers: [registry] }),
      ingestRefused: new Counter({ name: 'ingest_refused_total', help: 'uploads refused because the ingest queue was full (503 INGEST_BUSY)', registers: [registry] }),
      ingestQueuedRecords: new Gauge({ name: 'ingest_queued_records', help: 'journal records accepted but not yet answered', registers: [registry] }),
    };
    app.decorate('metrics', metrics);
    app.addHook('onResponse', async (request, reply) => {
      metrics.httpDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics', fastify: '5.x', dependencies: ['auth'] },
);
