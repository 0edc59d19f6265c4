import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { ServerConfig } from './config.js';
import authPlugin from './plugins/auth.js';
import boundedShutdown from './plugins/bounded-shutdown.js';
import databasePlugin from './plugins/database.js';
import errorHandlerPlugin, { frameworkErrorBody } from './plugins/error-handler.js';
import metricsPlugin from './plugins/metrics.js';
import securityPlugin from './plugins/security.js';
import swaggerPlugin from './plugins/swagger.js';
import wellFormedText from './plugins/well-formed-text.js';
import { validatorCompilers } from './plugins/validator-compiler.js';
import authRoutes from './routes/auth.js';
import healthRoutes from './routes/health.js';
import userRoutes from './routes/users.js';
import stationRoutes from './routes/stations.js';
import alertRoutes from './routes/alerts.js';
import ingestRoutes from './routes/ingest.js';
import auditRoutes from './routes/audit.js';
import webApp from './web/plugin.js';
import accessLogService from './services/access-log/service.js';
import feedService from './services/feed/plugin.js';
import trustService from './services/trust/plugin.js';
import policyService from './services/policy/plugin.js';
import zonesService from './services/zones/plugin.js';
import passesService from './services/passes/plugin.js';
import healthDataService from './services/health/plugin.js';
import trustRoutes from './routes/trust.js';
import policyRoutes from './routes/policy.js';
import zoneRoutes from './routes/zones.js';
import passRoutes from './routes/passes.js';
import healthDataRoutes from './routes/health-data.js';
import feedRoutes from './routes/feed.js';
import usersService from './services/users/service.js';
import stationsService from './services/stations/service.js';
import ingestService from './services/ingest/service.js';
import alertsService from './services/alerts/service.js';
import auditService from './services/audit/service.js';
import retentionService from './services/retention/service.js';
import officersService from './services/officers/service.js';
import officerRoutes from './routes/officers.js';

export interface BuildAppOptions {
  /** ms since epoch; tests pass a controlled clock */
  clock?: () => number;
  /** pino logging at config.logLevel (default true); tests usually pass false */
  logger?: boolean;
  /** where the log lines go instead of stdout (tests that assert on what was logged) */
  logStream?: { write(line: string): void };
}

/**
 * The central server, after the fastify/demo layout: infrastructure plugins, then domain services
 * (each an fp plugin decorating the instance), then routes that only call services. Order matters:
 * the auth plugin's onRoute hook must exist before any route is added.
 */
export async function buildApp(config: ServerConfig, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel, ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: config.bodyLimitBytes,
    // request.ip (login rate limit, access log) is the socket address unless a proxy is trusted
    trustProxy: config.trustProxy,
    // answered before any hook runs, so helmet's headers are not there: at least nosniff
    frameworkErrors: (err, _request, reply: FastifyReply) => {
      const body = frameworkErrorBody(err);
      return reply.status(body.statusCode).header('x-content-type-options', 'nosniff').send(body);
    },
    // bodies strict, params and queries coerced from canonical text only (validator-compiler.ts)
    schemaController: { compilersFactory: { buildValidator: validatorCompilers() } },
  });

  // 1. infrastructure
  await app.register(databasePlugin, { config, clock: opts.clock ?? Date.now });
  await app.register(securityPlugin);
  await app.register(errorHandlerPlugin);
  await app.register(authPlugin);
  await app.register(wellFormedText);
  await app.register(swaggerPlugin);
  await app.register(metricsPlugin);
  await app.register(boundedShutdown, { graceMs: config.shutdownGraceMs });

  // 2. domain services
  await app.register(accessLogService);
  await app.register(usersService);
  await app.register(stationsService);
  await app.register(officersService);
  await app.register(ingestService);
  await app.register(alertsService);
  await app.register(auditService);
  await app.register(retentionService);
  // --- H4 services (issuing domain) register here, one line each ---
  await app.register(feedService);
  await app.register(import('./services/feed/push-plugin.js'));
  await app.register(trustService);
  await app.register(policyService);
  await app.register(zonesService);
  await app.register(passesService);
  await app.register(healthDataService);
  await app.register(import('./services/audit/contacts-service.js'));
  await app.register(import('./services/notify/plugin.js'));
  await app.register(import('./services/reports/plugin.js'));
  await app.register(import('./services/arrivals/plugin.js'));

  // 3. routes (only call services)
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(userRoutes);
  await app.register(stationRoutes);
  await app.register(officerRoutes);
  await app.register(alertRoutes);
  await app.register(ingestRoutes);
  await app.register(auditRoutes);
  await app.register(import('./routes/trace.js'));
  await app.register(import('./routes/trips.js'));
  await app.register(import('./routes/notifications.js'));
  await app.register(import('./routes/reports.js'));
  await app.register(import('./routes/arrivals.js'));
  // --- H4 routes (issuing domain) register here, one line each ---
  await app.register(trustRoutes);
  await app.register(policyRoutes);
  await app.register(zoneRoutes);
  await app.register(passRoutes);
  await app.register(healthDataRoutes);
  await app.register(import('./routes/import-templates.js'));
  await app.register(feedRoutes);
  await app.register(import('./routes/feed-wait.js'));
  // The 2021 way (one central call per scan), for the benchmark only: absent unless configured.
  if (config.onlineCheckRoute) await app.register(import('./routes/online-check.js'));

  // 4. the web app for people (static files under /app/)
  await app.register(webApp);

  // Not readied here, so tests may still add routes; inject() and listen() ready it.
  return app;
}
