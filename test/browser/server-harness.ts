import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import jsQRModule from 'jsqr';
import type { Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { buildApp } from '../../server/app.js';
import type { Role } from '../../server/auth/access.js';
import { loadServerConfig } from '../../server/config.js';
import { createTransportKey } from '../server/helpers.js';

export const PASSWORD = 'mật khẩu đúng 123';
export const ROLE_NAMES: readonly Role[] = ['admin', 'transport', 'health', 'command', 'officer'];

export interface WebServer {
  app: FastifyInstance;
  url: string;
  /** one user per role, province 79, created through the server's own user service */
  users: Record<Role, { username: string; password: string }>;
  close(): Promise<void>;
}

/** The real server on a temp DATA_DIR (SQLite file, keys), listening on a free port. */
export async function startWebServer(opts: { env?: Record<string, string>; clock?: () => number } = {}): Promise<WebServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'server-web-'));
  const config = loadServerConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '1000', ...opts.env });
  const app = await buildApp(config, { logger: false, ...(opts.clock ? { clock: opts.clock } : {}) });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  // issuing needs the province's transport key, made only by an explicit act (as an operator would)
  await createTransportKey(app, 79);
  const users = {} as WebServer['users'];
  for (const role of ROLE_NAMES) {
    const username = `${role}79`;
    await app.users.create(null, { username, password: PASSWORD, role, province: 79, displayName: `Nguyễn Thị ${role}` });
    users[role] = { username, password: PASSWORD };
  }
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    users,
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sign in through the login form and wait for the role's menu. */
export async function signIn(page: Page, server: WebServer, role: Role): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${server.url}/app/`);
  await page.getByLabel(/Tên đăng nhập|Username/).fill(server.users[role].username);
  await page.getByLabel(/Mật khẩu|Password/).fill(server.users[role].password);
  await page.getByRole('button', { name: /Đăng nhập|Sign in/ }).click();
  await page.locator('#nav a').first().waitFor();
}

/** The menu's entries (their view paths), in order. */
export async function menuOf(page: Page): Promise<string[]> {
  return page.locator('#nav a').evaluateAll((links) => links.map((a) => a.getAttribute('data-view') ?? ''));
}

type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr is CommonJS: under NodeNext its default import is the module object at type level
const jsQR: JsQr = typeof jsQRModule === 'function' ? (jsQRModule as unknown as JsQr) : (jsQRModule as unknown as { default: JsQr }).default;

/** Decode the QR code in a PNG screenshot; null when none is found. */
export function decodeQrPng(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height)?.data ?? null;
}

/** Wait until an <img> has decoded, so a screenshot of it is the real picture. */
export async function imageLoaded(img: Locator): Promise<void> {
  await img.evaluate((el) => (el as unknown as { decode(): Promise<void> }).decode());
}
