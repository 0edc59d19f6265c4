import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { GOODS } from '../../shared/codes/pass-code.js';
import { REASONS } from '../../shared/rules/reasons.js';
import { glossaryModuleSource } from '../../shared/glossary/browser-module.js';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');
const publicAccess = { access: 'public' as const };

/**
 * The web app for people (transport, health, command center, admin): static ES modules under /app/,
 * talking to the JSON API with the session cookie. The files hold no data; every view asks the API,
 * which enforces roles itself. Not an fp plugin, so @fastify/static's reply decoration stays here.
 */
const webApp: FastifyPluginAsync = async (app) => {
  // serve: false, so every route is ours and declares its access like any other route
  await app.register(fastifyStatic, { root: PUBLIC_DIR, serve: false });

  app.get('/', { config: publicAccess, schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/'));
  app.get('/app', { config: publicAccess, schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/'));
  app.get('/app/', { config: publicAccess, schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html'));

  // Labels the screens need from shared/ (which the browser cannot import as TypeScript): presentation only.
  app.get('/app/meta.json', { config: publicAccess, schema: { hide: true } }, async () => ({
    goods: GOODS,
    reasons: REASONS,
    heartbeatStaleSeconds: app.config.heartbeatStaleSeconds,
  }));

  // The glossary and place names as an ES module for the pages (built once: it is constant data).
  const glossary = glossaryModuleSource();
  app.get('/app/glossary.js', { config: publicAccess, schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(glossary));

  app.get('/app/*', { config: publicAccess, schema: { hide: true } }, async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    // sendFile refuses paths outside the root itself; this keeps odd names out of the logs too
    if (!/^[A-Za-z0-9_./-]+$/.test(path) || path.includes('..')) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile(path);
  });
};
export default webApp;
