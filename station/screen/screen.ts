import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { CrossingClosedEvent, EngineFault, OverrideEvent, ScanEngine, VerdictEvent } from '../engine/engine.js';
import type { EngineLog } from '../engine/trust-state.js';
import type { StationStore } from '../store/store.js';
import { OfficerSessions, type OfficerAccount, type SessionOptions } from './officers.js';
import { openOfficerStore } from './officer-store.js';
import { OfficerSync, type OfficerSyncOptions } from './officer-sync.js';
import type { ScreenScanner } from '../scanner/screen-scanner.js';
import { registerScreenRoutes } from './routes.js';
import { registerScannerRoutes } from './scanner-routes.js';
import { SseHub } from './sse.js';
import { ScreenState } from './state.js';
import { NO_SERVER, type StationStatus, type StatusProvider } from './status.js';
import { defaultSeverity, redactCrossing, redactDecision } from './view.js';
import { severityOf } from '../../shared/rules/policy.js';
import { addSecurityHeaders } from '../../shared/http/security-headers.js';

export interface OfficerScreenOptions {
  /** default 127.0.0.1; a tablet on the checkpoint's LAN needs the PC's LAN address or 0.0.0.0 */
  host?: string;
  /** default 8080; 0 picks a free port (tests) */
  port?: number;
  station: { stationId: string; checkpointId: number; name?: string };
  engine: Pick<ScanEngine, 'on' | 'off' | 'prependListener' | 'overrideCrossing'> & Partial<Pick<ScanEngine, 'currentPolicy'>>;
  store: Pick<StationStore, 'getPass' | 'passesByPlate' | 'passesWithPlateInside' | 'openCrossings' | 'zoneLevel' | 'lastSeq' | 'journalSince'>;
  /** scanners, cache age, backlog, server link; polled every statusIntervalMs */
  status: StatusProvider;
  /** who may sign in (station config `officers`) */
  officers: readonly OfficerAccount[];
  /** the station's scanners of kind `screen` and `camera`, read by this screen's page */
  screenScanners?: readonly ScreenScanner[];
  statusIntervalMs?: number;
  /** a verdict dims to "waiting for the next vehicle" after this long (default 20 s) */
  verdictHoldMs?: number;
  /** the server unreachable this long raises a banner (default 2 min) */
  serverAlertMs?: number;
  session?: Omit<SessionOptions, 'store'>;
  /** the officer store's file (sessions, locks, the province's officers survive a restart); default in memory */
  officerStorePath?: string;
  /** pull the province's officers from the server (HttpServerApi.officers) */
  officerSync?: { fetch: OfficerSyncOptions['fetch']; intervalMs?: number };
  /** set when the screen is served behind TLS, so the session cookie is Secure */
  secureCookie?: boolean;
  clock?: () => number;
  log?: EngineLog;
}

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');

/**
 * The officer's screen: a small web server inside the station process. Verdicts, crossings and the
 * station's state are pushed live over server-sent events (`GET /events`); names and ids only go to a
 * screen where an officer is signed in. Overrides and manual decisions are journaled by the engine.
 */
export class OfficerScreen {
  private app: FastifyInstance | null = null;
  private hub: SseHub | null = null;
  private timers: NodeJS.Timeout[] = [];
  private detach: (() => void) | null = null;
  private lastStatus = '';
  private lastGood: StationStatus = { scanners: [], cacheSyncedAt: null, outboxBacklog: 0, server: NO_SERVER };
  private address: string | null = null;
  private readonly sessions: OfficerSessions;
  /** null when the station has no server: the config's officers only */
  readonly officerSync: OfficerSync | null;
  private readonly state: ScreenState;
  private readonly clock: () => number;
  private readonly log: EngineLog;

  constructor(private readonly opts: OfficerScreenOptions) {
    this.clock = opts.clock ?? Date.now;
    this.log = opts.log ?? (() => {});
    this.sessions = new OfficerSessions(opts.officers, {
      clock: this.clock, journalSeq: () => opts.store.lastSeq(), ...opts.session, store: openOfficerStore(opts.officerStorePath ?? ':memory:'),
    });
    // An officer the province disabled loses their open streams at once, not at their next request.
    const endDisabled = () => {
      for (const key of this.hub?.sessionKeys() ?? []) if (!this.sessions.isLive(key)) this.hub?.endSession(key);
    };
    this.officerSync = opts.officerSync ? new OfficerSync({ ...opts.officerSync, sessions: this.sessions, log: this.log, onApplied: endDisabled }) : null;
    const policy = opts.engine.currentPolicy?.bind(opts.engine);
    this.state = new ScreenState({
      getPass: (id) => opts.store.getPass(id),
      zoneLevel: (zone) => opts.store.zoneLevel(zone),
      severity: policy ? (code) => severityOf(code, policy()) : defaultSeverity,
    });
  }

  /** The screen's address, e.g. http://127.0.0.1:8080 (after start). */
  get url(): string {
    if (!this.address) throw new Error('the officer screen is not started');
    return this.address;
  }

  async start(): Promise<string> {
    if (this.address) return this.address;
    const { opts } = this;
    const hub = new SseHub();
    const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
    addSecurityHeaders(app, {
      hsts: false,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"],
          fontSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"],
        },
      },
    });
    await app.register(fastifyCookie);
    // Writes come only from this screen's own pages: a request from another origin is refused.
    app.addHook('onRequest', async (req, reply) => {
      if (req.method === 'GET' || req.method === 'HEAD') return;
      const origin = req.headers.origin;
      if (origin && new URL(origin).host !== req.headers.host) await reply.code(403).send({ error: 'FORBIDDEN_ORIGIN', message: 'cross-origin request refused' });
    });
    app.setErrorHandler((err: { statusCode?: number; validation?: unknown; message: string }, _req, reply) => {
      if (err.validation) return reply.code(400).send({ error: 'INVALID_REQUEST', message: err.message });
      const status = err.statusCode ?? 500;
      if (status >= 500) this.log('error', 'officer screen request failed', { error: err.message });
      return reply.code(status).send({ error: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', message: status >= 500 ? 'internal error' : err.message });
    });
    await app.register(fastifyStatic, { root: PUBLIC_DIR, index: 'index.html', cacheControl: false, setHeaders: (res) => res.header('cache-control', 'no-cache') });
    registerScreenRoutes(app, {
      station: { stationId: opts.station.stationId, checkpointId: opts.station.checkpointId, name: opts.station.name ?? null },
      engine: opts.engine,
      store: opts.store,
      sessions: this.sessions,
      hub,
      state: this.state,
      status: () => this.statusNow(),
      screen: {
        verdictHoldMs: opts.verdictHoldMs ?? 20_000,
        serverAlertMs: opts.serverAlertMs ?? 120_000,
        cacheStaleMs: () => (opts.engine.currentPolicy?.().maxCacheStaleHours ?? 24) * 3_600_000,
      },
      clock: this.clock,
      secureCookie: opts.secureCookie ?? false,
      log: this.log,
    });
    registerScannerRoutes(app, { scanners: opts.screenScanners ?? [] });

    this.state.resume(opts.store.openCrossings());
    this.detach = this.listen(hub);
    this.hub = hub;
    this.app = app;
    try {
      this.address = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 8080 });
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.lastStatus = JSON.stringify(this.statusNow());
    this.timers = [
      setInterval(() => this.refreshStatus(), opts.statusIntervalMs ?? 1000),
      setInterval(() => this.sessions.sweep().forEach((t) => hub.endSession(t)), 60_000),
    ];
    for (const t of this.timers) t.unref();
    this.officerSync?.start();
    this.log('info', 'officer screen listening', { url: this.address });
    return this.address;
  }

  /** The provider's answer; if it fails (a half-started sync module), the last good one. */
  private statusNow(): StationStatus {
    try {
      this.lastGood = this.opts.status();
    } catch (err) {
      this.log('warn', 'status provider failed', { error: String(err) });
    }
    return this.lastGood;
  }

  /** Push the station's state now if it changed (e.g. on a scanner's state event); also runs on a timer. */
  refreshStatus(): void {
    if (!this.hub) return;
    const status = this.statusNow();
    const text = JSON.stringify(status);
    if (text === this.lastStatus) return;
    this.lastStatus = text;
    this.hub.broadcast('status', status);
  }

  /** Stop serving and close the officer store (a stopped screen is not started again). */
  async stop(): Promise<void> {
    await this.officerSync?.stop();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.detach?.();
    this.detach = null;
    // Open event streams would keep close() waiting: end them first.
    this.hub?.closeAll();
    this.hub = null;
    await this.app?.close();
    this.app = null;
    this.address = null;
    this.sessions.store.close();
  }

  private listen(hub: SseHub): () => void {
    const { engine } = this.opts;
    const onVerdict = (v: VerdictEvent) => {
      const { decision, closed } = this.state.onVerdict(v);
      for (const c of closed) hub.broadcast('crossing', c, redactCrossing(c));
      hub.broadcast('decision', decision, redactDecision(decision));
    };
    const onCrossing = (e: CrossingClosedEvent) => {
      const c = this.state.onCrossingClosed(e);
      hub.broadcast('crossing', c, redactCrossing(c));
    };
    const onOverride = (e: OverrideEvent) => {
      const { crossing, decision } = this.state.onOverride(e);
      if (decision) hub.broadcast('decision', decision, redactDecision(decision));
      else hub.broadcast('crossing', crossing, redactCrossing(crossing));
    };
    const onFault = (f: EngineFault) => hub.broadcast('fault', { scannerId: f.scannerId, message: f.message, at: this.clock() });
    // First in line: the officer sees the verdict before the stdout log, the link's wake-up or any
    // other listener of the engine runs.
    engine.prependListener('verdict', onVerdict);
    engine.on('crossing', onCrossing);
    engine.on('override', onOverride);
    engine.on('fault', onFault);
    return () => {
      engine.off('verdict', onVerdict);
      engine.off('crossing', onCrossing);
      engine.off('override', onOverride);
      engine.off('fault', onFault);
    };
  }
}
