import http from 'node:http';
import type { FetchLike } from '../../../station/net/server-api.js';

/**
 * The station client's requests over node:http, with a keep-alive agent of its own: call it once per
 * simulated station, as each real station has its own connections. Through the global fetch, 2,000
 * stations in one process cost the load generator more CPU than the two servers together (undici's
 * pool looks for an idle connection among thousands at each request; web streams and transferable
 * abort signals per request), a cost a real station, alone on its machine, never pays. One agent
 * shared by every station did the same in its own way: an agent keeps its busy sockets to a host in
 * one array and finds a freed one in it by a linear search, and with 2,000 doorbells held open that
 * array held 1,000 sockets an instance, searched at every answer. Idle connections are closed after
 * 60 s, before the server's 72 s (fastify's keepAliveTimeout), so a request never lands on a socket
 * being closed.
 */
export function nodeHttpFetch(): FetchLike {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 4, timeout: 60_000 });
  return (url, init) => new Promise((resolve, reject) => {
    const headers = init.body === undefined ? init.headers : { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) };
    const req = http.request(url, { method: init.method, headers, agent, signal: init.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text: async () => text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
