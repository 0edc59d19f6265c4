import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ScreenScanner } from '../scanner/screen-scanner.js';
import { SUFFIX_KEYS, US_KEYMAP } from '../scanner/us-keymap.js';

/**
 * The officer screen's own scanners (kinds `screen` and `camera`): the page learns which ones it
 * serves and the US keymap to read physical keys with, reports that it is there, and posts each read.
 * A read goes into the ScreenScanner, so framing checks, debounce, engine, journal and the verdict on
 * the screen are those of any scanner; the answer only says it was taken.
 */
export interface ScannerRouteDeps {
  scanners: readonly ScreenScanner[];
}

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
// Longer than any code the framer accepts: an overlong read is the framer's LINE_TOO_LONG, recorded like a device's.
const ReadBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 8192 }) }, { additionalProperties: false });
const PresenceBody = Type.Object(
  { state: Type.Union([Type.Literal('connected'), Type.Literal('error')]), detail: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

/** The QR decoder the camera page uses, from the project's own dependencies (no CDN). */
const JSQR_PATH = createRequire(import.meta.url).resolve('jsqr');

export function registerScannerRoutes(app: FastifyInstance, d: ScannerRouteDeps): void {
  const jsqr = readFileSync(JSQR_PATH);
  app.get('/vendor/jsqr.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'max-age=86400').send(jsqr));

  const find = (id: string, reply: FastifyReply): ScreenScanner | null => {
    const s = d.scanners.find((x) => x.scannerId === id) ?? null;
    if (!s) void reply.code(404).send({ error: 'SCANNER_UNKNOWN', message: `no screen or camera scanner ${id} at this station` });
    return s;
  };

  app.get('/api/screen-scanners', async () => ({
    keymap: US_KEYMAP,
    suffixKeys: SUFFIX_KEYS,
    scanners: d.scanners.map((s) => ({
      id: s.scannerId,
      kind: s.kind,
      lane: s.lane,
      direction: s.direction,
      keySuffix: s.config.keySuffix,
      maxKeyGapMs: s.config.maxKeyGapMs,
      minBurstLength: s.config.minBurstLength,
      debounceMs: s.config.debounceMs,
      facing: s.config.facing,
    })),
  }));

  app.post<{ Params: Static<typeof Params>; Body: Static<typeof ReadBody> }>(
    '/api/screen-scanners/:id/reads',
    { schema: { params: Params, body: ReadBody } },
    async (req, reply) => {
      const s = find(req.params.id, reply);
      if (!s) return reply;
      if (!s.read(req.body.text)) return reply.code(409).send({ error: 'SCANNER_STOPPED', message: 'the station is stopping' });
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post<{ Params: Static<typeof Params>; Body: Static<typeof PresenceBody> }>(
    '/api/screen-scanners/:id/presence',
    { schema: { params: Params, body: PresenceBody } },
    async (req, reply) => {
      const s = find(req.params.id, reply);
      if (!s) return reply;
      s.presence(req.body.state, req.body.detail ?? null);
      return { state: s.state().state };
    },
  );
}
