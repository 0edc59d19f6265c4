import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, userWithRole } from './helpers.js';

describe('server skeleton', () => {
  let app: FastifyInstance;
  afterEach(async () => app?.close());

  it('answers /healthz and gives a bearer user their identity', async () => {
    app = await makeTestApp();
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const admin = await userWithRole(app, 'admin', 7);
    const me = await app.inject({ url: '/api/v1/auth/me', headers: admin.headers });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ username: admin.username, role: 'admin', province: 7 });
    expect((await app.inject({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });
});
