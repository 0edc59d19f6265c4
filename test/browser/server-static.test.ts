import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeTestApp } from '../server/helpers.js';

const PUBLIC = 'server/web/public';
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

let app: FastifyInstance;
beforeAll(async () => { app = await makeTestApp(); });
afterAll(async () => { await app?.close(); });

describe('server web app: static files', () => {
  it('serves the shell under /app/ with a same-origin-only content security policy; / redirects there', async () => {
    const root = await app.inject({ url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/app/');
    const shell = await app.inject({ url: '/app/' });
    expect(shell.statusCode).toBe(200);
    expect(shell.headers['content-type']).toContain('text/html');
    expect(String(shell.headers['content-security-policy'])).toContain("script-src 'self'");
    const js = await app.inject({ url: '/app/js/main.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
  });

  it('serves nothing outside its folder and answers unknown files with 404', async () => {
    for (const url of ['/app/%2e%2e/package.json', '/app/..%2fpackage.json', '/app/js/../../plugin.ts', '/app/nothing.js']) {
      expect((await app.inject({ url })).statusCode, url).toBe(404);
    }
    // a NUL in a path is refused before any route sees it (PostgreSQL's text cannot hold one)
    const nul = await app.inject({ url: '/app/js/%00.js' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json()).toMatchObject({ messageVi: expect.stringContaining('NUL') });
  });

  it('gives the screens the shared labels (goods, reasons) without signing in', async () => {
    const meta = (await app.inject({ url: '/app/meta.json' })).json() as { goods: { vi: string }[]; reasons: Record<string, { vi: string; en: string }> };
    expect(meta.goods[0]!.vi).toBe('Hàng thiết yếu, lương thực, thực phẩm');
    expect(meta.reasons.BAD_SIGNATURE!.en).toMatch(/signature/i);
  });

  it('loads nothing from another origin and never writes markup from strings', () => {
    for (const file of files(PUBLIC)) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      expect(text, file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
  });
});
