import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';

export const SESSION_COOKIE = 'sid';
export const CSRF_COOKIE = '_csrf';

/**
 * Security headers, cookies, CSRF tokens and the rate limiter. The rate limiter is not global: routes
 * opt in with `config.rateLimit` (login does). CSRF checking itself runs in the auth hook, which
 * knows whether the caller came with a cookie.
 */
export default fp(
  async (app) => {
    await app.register(helmet, {
      // swagger-ui adds its own script hashes (staticCSP); everything else is same-origin only
      contentSecurityPolicy: { useDefaults: true },
      crossOriginEmbedderPolicy: false,
    });
    await app.register(cookie);
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: CSRF_COOKIE,
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: app.config.cookieSecure },
      getToken: (req) => {
        const h = req.headers['x-csrf-token'];
        return typeof h === 'string' ? h : undefined;
      },
    });
    await app.register(rateLimit, { global: false });
  },
  { name: 'security', fastify: '5.x', dependencies: ['database'] },
);
