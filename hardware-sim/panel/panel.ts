import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { Type, type Static } from '@sinclair/typebox';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { SimDevice } from '../keyboard-wedge.js';
import type { SimSuffix } from '../virtual-scanner.js';
import { addSecurityHeaders } from '../../shared/http/security-headers.js';

/** A virtual scanner as the panel lists it. */
export interface PanelScanner {
  id: string;
  /** a serial scanner on a pty, or a keyboard-wedge scanner (FIFO or uinput) */
  scanner: SimDevice;
  /** what the station's config binds this scanner to, when known (shown to the tester) */
  lane?: string;
  direction?: 'entry' | 'exit';
}

/** A code the tester can pick instead of pasting one. */
export interface SampleCode {
  label: string;
  code: string;
}

export interface SimPanelOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** default 8090; 0 picks a free port */
  port?: number;
  /** the scanners, or a function for a list that changes */
  scanners: readonly PanelScanner[] | (() => readonly PanelScanner[]);
  samples?: readonly SampleCode[] | (() => readonly SampleCode[]);
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/** Sample entries with several scans each (a pass and its crew) as one pickable code per scan. */
export function samplesFromEntries(entries: readonly { name: string; scans: readonly string[] }[]): SampleCode[] {
  return entries.flatMap((e) => e.scans.map((code, i) => ({ label: e.scans.length > 1 ? `${e.name} · ${i + 1}/${e.scans.length}` : e.name, code })));
}

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');
const MAX_CODE = 8192;

const ScannerRef = Type.String({ minLength: 1, maxLength: 64 });
const Suffix = Type.Union([Type.Literal('cr'), Type.Literal('lf'), Type.Literal('crlf')]);
const ScanBody = Type.Object(
  {
    scanner: ScannerRef,
    code: Type.String({ minLength: 1, maxLength: MAX_CODE }),
    suffix: Type.Optional(Suffix),
    aim: Type.Optional(Type.Boolean()),
    /** >1: the same read again and again, as a presentation-mode scanner does */
    times: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    intervalMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 5000 })),
  },
  { additionalProperties: false },
);
const GarbageBody = Type.Object(
  {
    scanner: ScannerRef,
    bytes: Type.Integer({ minimum: 1, maximum: 1_048_576 }),
    /** end with the scanner's suffix so the station sees a (bad) line now; default true */
    terminate: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const PlugBody = Type.Object({ scanner: ScannerRef }, { additionalProperties: false });

/**
 * The testers' panel: a small web page (served by hardware-sim) that lists the virtual scanners and
 * scans a picked or pasted code into one of them, repeats a read, sends garbage, unplugs and replugs.
 */
export class SimPanel {
  private app: FastifyInstance | null = null;
  private address: string | null = null;

  constructor(private readonly opts: SimPanelOptions) {}

  get url(): string {
    if (!this.address) throw new Error('the simulator panel is not started');
    return this.address;
  }

  private scanners(): readonly PanelScanner[] {
    const s = this.opts.scanners;
    return typeof s === 'function' ? s() : s;
  }

  private samples(): readonly SampleCode[] {
    const s = this.opts.samples ?? [];
    return typeof s === 'function' ? s() : s;
  }

  async start(): Promise<string> {
    if (this.address) return this.address;
    const log = this.opts.log ?? (() => {});
    const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
    addSecurityHeaders(app, {
      hsts: false,
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], objectSrc: ["'none'"], frameAncestors: ["'none'"] } },
    });
    app.addHook('onRequest', async (req, reply) => {
      const origin = req.headers.origin;
      if (req.method !== 'GET' && origin && new URL(origin).host !== req.headers.host) await reply.code(403).send({ error: 'FORBIDDEN_ORIGIN', message: 'cross-origin request refused' });
    });
    app.setErrorHandler((err: { statusCode?: number; validation?: unknown; message: string }, _req, reply) => {
      if (err.validation) return reply.code(400).send({ error: 'INVALID_REQUEST', message: err.message });
      const status = err.statusCode ?? 500;
      if (status >= 500) log('error', 'simulator panel request failed', { error: err.message });
      return reply.code(status).send({ error: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', message: err.message });
    });
    await app.register(fastifyStatic, { root: PUBLIC_DIR, index: 'index.html', cacheControl: false });

    const find = (id: string, reply: FastifyReply): PanelScanner | null => {
      const s = this.scanners().find((x) => x.id === id) ?? null;
      if (!s) void reply.code(404).send({ error: 'SCANNER_UNKNOWN', message: `no scanner ${id}` });
      return s;
    };
    // A scanner that is unplugged cannot send: say so instead of failing deep in the port.
    const act = async (reply: FastifyReply, s: PanelScanner, what: string, run: () => Promise<unknown>) => {
      if (!s.scanner.plugged && what !== 'replug') return reply.code(409).send({ error: 'UNPLUGGED', message: `scanner ${s.id} is unplugged` });
      try {
        await run();
      } catch (err) {
        log('warn', `simulator ${what} failed`, { scanner: s.id, error: String(err) });
        return reply.code(409).send({ error: 'SCANNER_FAILED', message: (err as Error).message });
      }
      log('info', `simulator ${what}`, { scanner: s.id });
      return { ok: true, scanner: s.id, plugged: s.scanner.plugged };
    };

    app.get('/api/scanners', async () =>
      this.scanners().map((s) => ({ id: s.id, kind: s.scanner.kind, lane: s.lane ?? null, direction: s.direction ?? null, stationPath: s.scanner.stationPath, plugged: s.scanner.plugged, received: s.scanner.received().length })),
    );
    app.get('/api/samples', async () => this.samples());
    app.post<{ Body: Static<typeof ScanBody> }>('/api/scan', { schema: { body: ScanBody } }, async (req, reply) => {
      const s = find(req.body.scanner, reply);
      if (!s) return reply;
      const { code, times = 1, intervalMs = 100 } = req.body;
      const scanOpts = { ...(req.body.suffix ? { suffix: req.body.suffix as SimSuffix } : {}), ...(req.body.aim !== undefined ? { aim: req.body.aim } : {}) };
      return act(reply, s, times > 1 ? 'repeat' : 'scan', () => (times > 1 ? s.scanner.repeat(code, times, { ...scanOpts, intervalMs }) : s.scanner.scan(code, scanOpts)));
    });
    app.post<{ Body: Static<typeof GarbageBody> }>('/api/garbage', { schema: { body: GarbageBody } }, async (req, reply) => {
      const s = find(req.body.scanner, reply);
      if (!s) return reply;
      return act(reply, s, 'garbage', async () => {
        await s.scanner.garbage(req.body.bytes);
        if (req.body.terminate !== false) await s.scanner.terminate();
      });
    });
    app.post<{ Body: Static<typeof PlugBody> }>('/api/unplug', { schema: { body: PlugBody } }, async (req, reply) => {
      const s = find(req.body.scanner, reply);
      if (!s) return reply;
      return act(reply, s, 'unplug', () => s.scanner.unplug());
    });
    app.post<{ Body: Static<typeof PlugBody> }>('/api/replug', { schema: { body: PlugBody } }, async (req, reply) => {
      const s = find(req.body.scanner, reply);
      if (!s) return reply;
      return act(reply, s, 'replug', () => s.scanner.replug());
    });

    this.app = app;
    try {
      this.address = await app.listen({ host: this.opts.host ?? '127.0.0.1', port: this.opts.port ?? 8090 });
    } catch (err) {
      await this.stop();
      throw err;
    }
    log('info', 'simulator panel listening', { url: this.address });
    return this.address;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = null;
    this.address = null;
  }
}
