import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sqlCredentialStore } from '../auth/credentials.js';
import { scopeOf, type AuthStation, type AuthUser, type AuthVia, type RouteAccess, type RouteAccessEntry } from '../auth/access.js';
import { scopeName, wideEnough } from '../auth/scope.js';
import { sameHash, tokenHash } from '../auth/tokens.js';
import { ForbiddenError, UnauthorizedError } from '../domain-errors.js';
import { SESSION_COOKIE } from './security.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** who may call this route; required on every route (checked at startup) */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** the signed-in person, set by the auth hook on routes with `{ roles }` access */
    user: AuthUser | null;
    /** the calling station, set by the auth hook on `'station'` routes */
    station: AuthStation | null;
    authVia: AuthVia | null;
    /** SHA-256 of the session cookie token when the caller came with one (for logout, and what CSRF tokens are bound to) */
    sessionTokenHash: string | null;
    /** SHA-256 of the bearer token when the caller came with one (logout revokes it) */
    apiTokenHash: string | null;
  }
  interface FastifyInstance {
    /** every registered route with its declared access, for the route × role matrix test */
    readonly routeAccess: readonly RouteAccessEntry[];
  }
}

/** Routes added by libraries, which cannot declare access themselves; all are documentation. */
const LIBRARY_PUBLIC_PREFIXES = ['/docs'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const unauthorized = () => new UnauthorizedError('authentication required', 'Cần đăng nhập');
const badCredential = () => new UnauthorizedError('invalid or expired credential', 'Thông tin đăng nhập không hợp lệ hoặc đã hết hạn');
const forbidden = (why: string, vi: string) => new ForbiddenError(why, vi);

/**
 * Central authorization. Every route declares `config.access`; one onRequest hook authenticates the
 * caller (session cookie, `Authorization: Bearer <token>`, or `Authorization: Station <id>:<secret>`)
 * and enforces it, before the body is even parsed. Cookie callers must send `x-csrf-token` on
 * state-changing requests.
 */
export default fp(
  async (app) => {
    const store = sqlCredentialStore(app.database.client);
    const routes: RouteAccessEntry[] = [];
    app.decorate('routeAccess', routes);
    app.decorateRequest('user', null);
    app.decorateRequest('station', null);
    app.decorateRequest('authVia', null);
    app.decorateRequest('sessionTokenHash', null);
    app.decorateRequest('apiTokenHash', null);

    app.addHook('onRoute', (route) => {
      const config = (route.config ?? {}) as { access?: RouteAccess };
      if (!config.access && LIBRARY_PUBLIC_PREFIXES.some((p) => route.url.startsWith(p))) {
        route.config = { ...(route.config ?? {}), access: 'public' };
      } else if (!config.access) {
        throw new Error(`route ${String(route.method)} ${route.url} declares no config.access`);
      }
      const access = (route.config as { access: RouteAccess }).access;
      for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url, access });
    });

    async function authenticate(request: FastifyRequest): Promise<void> {
      const header = request.headers.authorization;
      const now = app.clock();
      if (header !== undefined) {
        const space = header.indexOf(' ');
        const scheme = space > 0 ? header.slice(0, space).toLowerCase() : '';
        const value = space > 0 ? header.slice(space + 1).trim() : '';
        if (scheme === 'bearer' && value) {
          const hash = tokenHash(value);
          const user = await store.userByApiToken(hash, now);
          if (!user) throw badCredential();
          request.user = user;
          request.authVia = 'bearer';
          request.apiTokenHash = hash;
          return;
        }
        if (scheme === 'station' && value) {
          const colon = value.indexOf(':');
          const station = colon > 0 ? await store.station(value.slice(0, colon)) : null;
          if (!station || !sameHash(tokenHash(value.slice(colon + 1)), station.secretHash)) throw badCredential();
          const { secretHash: _secret, ...rest } = station;
          request.station = rest;
          request.authVia = 'station';
          return;
        }
        throw new UnauthorizedError('unsupported Authorization scheme (use Bearer or Station)', 'Kiểu xác thực không được hỗ trợ');
      }
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        const hash = tokenHash(cookie);
        const user = await store.userBySession(hash, now);
        if (!user) throw badCredential();
        request.user = user;
        request.authVia = 'cookie';
        request.sessionTokenHash = hash;
      }
    }

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access;
      if (request.is404 || access === undefined || access === 'public') return;
      await authenticate(request);
      if (access === 'station') {
        if (request.station) return;
        throw request.user ? forbidden('this route is for stations only', 'Chỉ dành cho trạm kiểm soát') : unauthorized();
      }
      if (!request.user) {
        throw request.station ? forbidden('a station credential cannot act as a person', 'Trạm không được thao tác thay người dùng') : unauthorized();
      }
      if (!access.roles.includes(request.user.role)) {
        throw forbidden(`role ${request.user.role} may not use this route`, `Vai trò ${request.user.role} không có quyền với chức năng này`);
      }
      if (!wideEnough(scopeOf(request.user), access.minScope, app.config.deployment.mode)) {
        throw forbidden(`a user of ${scopeName(scopeOf(request.user))} may not use this route (it needs ${access.minScope} scope)`,
          'Phạm vi phụ trách của bạn không đủ để dùng chức năng này');
      }
    });

    // A separate callback-style hook: @fastify/csrf-protection answers the request itself on failure.
    app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      if (request.authVia !== 'cookie' || SAFE_METHODS.has(request.method)) return done();
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'auth', fastify: '5.x', dependencies: ['database', 'security'] },
);
