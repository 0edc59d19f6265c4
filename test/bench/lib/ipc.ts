import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Request/answer over a child's IPC channel, plus one-way events the child pushes. */
export interface Request { id: number; cmd: string; args?: unknown }
export type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
export type Event = { event: string; [k: string]: unknown };

export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, ((e: Event) => void)[]>();
  readonly exited: Promise<number | null>;
  private stderrTail = '';

  private constructor(readonly proc: ChildProcess) {
    proc.on('message', (m: Answer | Event) => {
      if ('event' in m) {
        for (const l of this.listeners.get(m.event) ?? []) l(m);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (t: string) => {
      this.stderrTail = (this.stderrTail + t).slice(-4000);
    });
    this.exited = new Promise((resolve) => proc.once('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`child exited (${code}): ${this.stderrTail.trim()}`));
      this.pending.clear();
      resolve(code);
    }));
  }

  /** Start a module as a child (a TypeScript one through tsx, a built .js one as is); resolves when it says `ready`. */
  static async start(moduleUrl: URL, args: string[] = [], execArgv: string[] = []): Promise<Child> {
    const loader = moduleUrl.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [];
    const proc = fork(fileURLToPath(moduleUrl), args, { execArgv: [...loader, ...execArgv], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    const child = new Child(proc);
    await new Promise<void>((resolve, reject) => {
      child.once('ready', () => resolve());
      void child.exited.then((code) => reject(new Error(`child ${moduleUrl.pathname} exited (${code}) before ready: ${child.stderrTail.trim()}`)));
    });
    return child;
  }

  on(event: string, fn: (e: Event) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
  }

  off(event: string, fn: (e: Event) => void): void {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== fn));
  }

  once(event: string, fn: (e: Event) => void): void {
    const w = (e: Event) => {
      this.off(event, w);
      fn(e);
    };
    this.on(event, w);
  }

  call<T>(cmd: string, args?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.proc.send({ id, cmd, args } satisfies Request);
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    await this.call('stop').catch(() => {});
    const killer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(killer);
  }
}

/** The child side: answer commands with `handlers`; `stop` exits after the handler's cleanup. */
export function serveParent(handlers: Record<string, (args: never) => unknown>): { emit: (event: string, fields?: Record<string, unknown>) => void } {
  const emit = (event: string, fields: Record<string, unknown> = {}) => process.send?.({ event, ...fields });
  process.on('message', (m: Request) => {
    void (async () => {
      try {
        const h = handlers[m.cmd];
        if (!h) throw new Error(`unknown command ${m.cmd}`);
        const result = await h(m.args as never);
        process.send?.({ id: m.id, ok: true, result: result ?? null });
        if (m.cmd === 'stop') setImmediate(() => process.exit(0));
      } catch (err) {
        process.send?.({ id: m.id, ok: false, error: (err as Error).stack ?? String(err) });
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
  return { emit };
}
