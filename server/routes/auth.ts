import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ALL_ROLES, requireUser } from '../auth/access.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { tokenHash } from '../auth/tokens.js';
import { TooManyAttemptsError, UnauthorizedError } from '../domain-errors.js';
import { csrfUserInfo, SESSION_COOKIE } from '../plugins/security.js';
import { PASSWORD_MAX } from '../services/users/service.js';
import { IdParams, PublicUserSchema } from './schemas.js';

const SessionAnswer = Type.Object({ user: PublicUserSchema, csrfToken: Type.String(), expiresAt: Type.Union([Type.Integer(), Type.Null()]) });
const TokenSchema = Type.Object({
  id: Type.Integer(), name: Type.String(), createdAt: Type.Integer(), expiresAt: Type.Integer(), revokedAt: Type.Union([Type.Integer(), Type.Null()]),
});

/** Sign in and out, who am I, and API tokens for scripts. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const anyone = { roles: ALL_ROLES };
  const throttle = new LoginThrottle(app.database.client, {
    perAddress: app.config.loginRateLimit, addressWindowMs: 60_000,
    perAccount: app.config.loginAccountFailures, accountWindowMs: 15 * 60_000,
  }, app.clock);

  app.post('/api/v1/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }) }, { additionalProperties: false }),
      response: { 200: SessionAnswer },
    },
  }, async (request, reply) => {
    const { username, password } = request.body;
    const turn = await throttle.begin(request.ip, username);
    if (!turn.allowed) {
      const seconds = Math.ceil(turn.retryAfterMs / 1000);
      reply.header('retry-after', String(seconds));
      throw new TooManyAttemptsError(`too many failed sign-ins; try again in ${seconds} s`, `Quá nhiều lần đăng nhập sai; vui lòng thử lại sau ${seconds} giây`, { retryAfterSeconds: seconds });
    }
    let session: Awaited<ReturnType<typeof app.users.login>>;
    try {
      session = await app.users.login(username, password);
    } catch (err) {
      // only a wrong password is a failure; any other error (the database) leaves the attempt to its window
      if (err instanceof UnauthorizedError) await turn.attempt.failed();
      throw err;
    }
    await turn.attempt.succeeded();
    const { user, sessionToken, expiresAt } = session;
    // A lifetime relative to now (Max-Age), not an absolute Expires: a browser whose clock is hours
    // off the server's (a lane laptop never synced) keeps the session for its whole length.
    reply.setCookie(SESSION_COOKIE, sessionToken, {
      path: '/', httpOnly: true, sameSite: 'strict', secure: app.config.cookieSecure, maxAge: Math.max(0, Math.floor((expiresAt - app.clock()) / 1000)),
    });
    return { user, csrfToken: reply.generateCsrf({ userInfo: csrfUserInfo(tokenHash(sessionToken)) }), expiresAt };
  });

  app.post('/api/v1/auth/logout', { config: { access: anyone }, schema: { tags: ['auth'] } }, async (request, reply) => {
    if (request.sessionTokenHash) await app.users.logout(request.sessionTokenHash);
    if (request.apiTokenHash) await app.users.logoutApiToken(request.apiTokenHash);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/v1/auth/me', { config: { access: anyone }, schema: { tags: ['auth'], response: { 200: SessionAnswer } } }, async (request, reply) => {
    const user = await app.users.me(requireUser(request));
    // a fresh CSRF token, so a reloaded page can carry on
    return { user, csrfToken: reply.generateCsrf({ userInfo: csrfUserInfo(request.sessionTokenHash) }), expiresAt: null };
  });

  app.post('/api/v1/auth/tokens', {
    config: { access: anyone },
    schema: {
      tags: ['auth'],
      // The schema's 3650 is the hard ceiling; the configured maximum (API_TOKEN_MAX_DAYS) is checked by the service.
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), ttlDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) }, { additionalProperties: false }),
      response: { 201: Type.Intersect([TokenSchema, Type.Object({ token: Type.String() })]) },
    },
  }, async (request, reply) => {
    const t = await app.users.createApiToken(requireUser(request), request.body.name, request.body.ttlDays);
    return reply.status(201).send(t);
  });

  app.get('/api/v1/auth/tokens', { config: { access: anyone }, schema: { tags: ['auth'], response: { 200: Type.Array(TokenSchema) } } }, async (request) =>
    app.users.listApiTokens(requireUser(request)));

  app.delete('/api/v1/auth/tokens/:id', { config: { access: anyone }, schema: { tags: ['auth'], params: IdParams } }, async (request, reply) => {
    await app.users.revokeApiToken(requireUser(request), request.params.id);
    return reply.status(204).send();
  });
};
export default routes;
