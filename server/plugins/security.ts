import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { addSecurityHeaders } from '../../shared/http/security-headers.js';
import { csrfHmacKey } from '../auth/csrf-key.js';

export const SESSION_COOKIE = 'sid';
export const CSRF_COOKIE = '_csrf';

/**
 * What a CSRF token is bound to: the hash of the session it was issued for, so one user's `_csrf`
 * cookie and token do not pass with another user's `sid`. Callers without a session (bearer) never
 * need a CSRF token; they get one bound to nothing that no cookie request accepts.
 */
export function csrfUserInfo(sessionTokenHash: string | null): string {
  return sessionTokenHash ?? 'no-session';
}

/**
 * Security headers, cookies, CSRF tokens and the rate limiter. The rate limiter is not global: routes
 * opt in with `config.rateLimit` (none does). CSRF checking itself runs in the auth hook, which
 * knows whether the caller came with a cookie.
 */
export default fp(
  async (app) => {
    // swagger-ui adds its own script hashes (staticCSP); everything else is same-origin only
    addSecurityHeaders(app, { contentSecurityPolicy: { useDefaults: true }, crossOriginEmbedderPolicy: false });
    await app.register(cookie);
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: CSRF_COOKIE,
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: app.config.cookieSecure },
      getToken: (req) => {
        const h = req.headers['x-csrf-token'];
        return typeof h === 'string' ? h : undefined;
      },
      getUserInfo: (req) => csrfUserInfo(req.sessionTokenHash),
      // One key for every instance and across restarts (server_secrets), so any instance accepts an open page's token.
      csrfOpts: { hmacKey: await csrfHmacKey(app.database.client, app.clock()) },
    });
    // Per-instance memory: no route opts in today. Sign-in limits are not this (server/auth/login-throttle.ts
    // keeps them in the database, shared by every instance); a route given `config.rateLimit` would be
    // limited per instance, N times the limit behind a load balancer of N.
    await app.register(rateLimit, { global: false });
  },
  { name: 'security', fastify: '5.x', dependencies: ['database'] },
);
