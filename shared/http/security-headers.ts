import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's security headers on every answer of `app`, its middleware built once. @fastify/helmet
 * built it again at every request (two hooks; helmet's options parsed each time: 10.8 µs a request
 * against 1.35 µs on this project's 2-core machine, about 1.5% of a core at the national peak) for
 * features none of our servers uses (per-route options, CSP nonces). A header a route's reply sets
 * itself (swagger-ui's page and its script hashes, `staticCSP`) replaces the one set here, as it did
 * with the plugin: these are set on the raw response, the reply's own are written after them.
 */
export function addSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const headers = helmet(options);
  app.addHook('onRequest', (request, reply, done) => headers(request.raw, reply.raw, done as (err?: unknown) => void));
}
