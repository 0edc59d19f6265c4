import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP reverse proxy of our own that makes the network as bad as a roadside link: delay and
 * jitter (a mobile WAN), dropped and reset connections, truncated responses, 5xx answers, and
 * outages. Used by the benchmarks (the 2021 online way) and by the fault tests.
 */
export interface FaultPlan {
  /** one-way delay added before forwarding and again before answering (so RTT ≈ 2×) */
  delayMs: number;
  jitterMs: number;
  /** probability that the client's connection is reset before anything is forwarded */
  resetRate: number;
  /** probability that the request reaches the server but the answer is lost (connection reset) */
  lostAnswerRate: number;
  /** probability that the answer is cut off halfway through the body */
  truncateRate: number;
  /** probability of a 502/503 answer without reaching the server */
  errorRate: number;
  /** while true, every connection is reset at once (the server is unreachable) */
  down: boolean;
}

export const CLEAN: FaultPlan = { delayMs: 0, jitterMs: 0, resetRate: 0, lostAnswerRate: 0, truncateRate: 0, errorRate: 0, down: false };

export interface FaultStats {
  requests: number;
  forwarded: number;
  resets: number;
  lostAnswers: number;
  truncated: number;
  errors: number;
}

export class FaultProxy {
  plan: FaultPlan;
  readonly stats: FaultStats = { requests: 0, forwarded: 0, resets: 0, lostAnswers: 0, truncated: 0, errors: 0 };
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  /** Called when the server has answered a request, before the answer goes back: lets a test act at that moment. */
  onAnswered: ((method: string, url: string) => void) | null = null;

  constructor(private readonly upstream: { host: string; port: number }, plan: Partial<FaultPlan> = {}, private readonly random: () => number = Math.random) {
    this.plan = { ...CLEAN, ...plan };
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('proxy not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.agent.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private delay(): Promise<void> {
    const ms = this.plan.delayMs + (this.random() * 2 - 1) * this.plan.jitterMs;
    return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
  }

  private chance(p: number): boolean {
    return p > 0 && this.random() < p;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests++;
    if (this.plan.down || this.chance(this.plan.resetRate)) {
      this.stats.resets++;
      req.socket.resetAndDestroy();
      return;
    }
    const body = await readBody(req);
    await this.delay();
    if (this.chance(this.plan.errorRate)) {
      this.stats.errors++;
      res.writeHead(this.random() < 0.5 ? 502 : 503, { 'content-type': 'text/plain' }).end('proxy fault');
      return;
    }
    const upstreamRes = await this.forward(req, body).catch(() => null);
    if (!upstreamRes) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream unreachable');
      return;
    }
    this.stats.forwarded++;
    this.onAnswered?.(req.method ?? 'GET', req.url ?? '/');
    await this.delay();
    if (this.chance(this.plan.lostAnswerRate)) {
      this.stats.lostAnswers++;
      req.socket.resetAndDestroy();
      return;
    }
    const headers = { ...upstreamRes.headers };
    if (this.chance(this.plan.truncateRate)) {
      this.stats.truncated++;
      res.writeHead(upstreamRes.statusCode ?? 502, headers);
      res.write(upstreamRes.body.subarray(0, Math.floor(upstreamRes.body.length / 2)));
      res.socket?.destroy();
      return;
    }
    res.writeHead(upstreamRes.statusCode ?? 502, headers).end(upstreamRes.body);
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<{ statusCode: number | undefined; headers: IncomingMessage['headers']; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const out = httpRequest(
        { host: this.upstream.host, port: this.upstream.port, method: req.method, path: req.url, headers: req.headers, agent: this.agent },
        (up) => readBody(up).then((b) => resolve({ statusCode: up.statusCode, headers: up.headers, body: b }), reject),
      );
      out.on('error', reject);
      out.end(body);
    });
  }
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
