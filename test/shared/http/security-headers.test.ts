import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { addSecurityHeaders } from '../../../shared/http/security-headers.js';

describe('addSecurityHeaders', () => {
  let app: FastifyInstance | null = null;
  afterEach(async () => app?.close());

  async function serve(): Promise<FastifyInstance> {
    app = Fastify({ logger: false });
    addSecurityHeaders(app, { hsts: false, contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], objectSrc: ["'none'"] } } });
    app.get('/page', async () => ({ ok: true }));
    app.get('/own-policy', async (_req, reply) => reply.header('content-security-policy', "default-src 'none'").send('x'));
    app.get('/broken', async () => {
      throw new Error('boom');
    });
    return app;
  }

  it('sends the configured headers on an answer, a 404 and a failed request alike', async () => {
    const a = await serve();
    for (const url of ['/page', '/missing', '/broken']) {
      const res = await a.inject({ url });
      expect(res.headers['content-security-policy'], url).toBe("default-src 'self';object-src 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('lets a route that sets its own policy keep it (swagger-ui\'s page does)', async () => {
    const res = await (await serve()).inject({ url: '/own-policy' });
    expect(res.headers['content-security-policy']).toBe("default-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
