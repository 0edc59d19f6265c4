import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = join(process.cwd(), 'server/main.ts');
// node itself with tsx's loader, not the tsx CLI: the CLI relays a SIGTERM to its child and SIGKILLs it
// (exit 143) when the child has not reported the signal within 30 ms, which a loaded machine misses.
// `npm run server` runs node too (on the built dist/), so the signal reaches the server as it will there.
const NODE_ARGS = ['--import', 'tsx'];

describe('npm run server: create-admin, start, graceful stop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'server-main-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };

  it('creates the first admin, serves login on a real port, and exits 0 on SIGTERM', async () => {
    const created = spawnSync(process.execPath, [...NODE_ARGS, MAIN, 'create-admin', '--username', 'root', '--password', 'mat-khau-dai', '--province', '12'], { env, encoding: 'utf8' });
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain('created admin root');
    const child = spawn(process.execPath, [...NODE_ARGS, MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
    });
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: 'mat-khau-dai' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { province: number } }).user.province).toBe(12);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
