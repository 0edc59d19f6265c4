import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GOODS } from '../../shared/codes/pass-code.js';
import type { Crossing } from '../../shared/rules/crossing.js';
import type { Override } from '../../shared/rules/override.js';
import { REASONS } from '../../shared/rules/reasons.js';
import { REASON_ACTIONS } from './reason-actions.js';
import { shiftSummary } from './shift-summary.js';
import { lookupPlate } from './plate-lookup.js';
import { glossaryModuleSource } from '../../shared/glossary/browser-module.js';
import type { ScanEngine } from '../engine/engine.js';
import type { EngineLog } from '../engine/trust-state.js';
import type { StationStore } from '../store/store.js';
import { sessionKey, type OfficerSession, type OfficerSessions } from './officers.js';
import type { SseHub } from './sse.js';
import type { ScreenState } from './state.js';
import type { StationStatus } from './status.js';
import { passView, redactCrossing, redactDecision } from './view.js';

export const SESSION_COOKIE = 'officer_session';

export interface RouteDeps {
  station: { stationId: string; checkpointId: number; name: string | null };
  engine: Pick<ScanEngine, 'overrideCrossing'>;
  store: Pick<StationStore, 'getPass' | 'passesByPlate' | 'passesWithPlateInside' | 'journalSince'>;
  sessions: OfficerSessions;
  hub: SseHub;
  state: ScreenState;
  status: () => StationStatus;
  /** how the screen ages verdicts and when it raises banners */
  screen: { verdictHoldMs: number; serverAlertMs: number; cacheStaleMs: () => number };
  clock: () => number;
  secureCookie: boolean;
  log: EngineLog;
}

const VerdictSchema = Type.Union([Type.Literal('ALLOW'), Type.Literal('DENY'), Type.Literal('REVIEW')]);
const Note = Type.String({ minLength: 3, maxLength: 1000 });
const SignInBody = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }), pin: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const OverrideBody = Type.Object({ crossingId: Type.String({ minLength: 1, maxLength: 64 }), verdict: VerdictSchema, note: Note }, { additionalProperties: false });
const ManualBody = Type.Object(
  { passId: Type.Integer({ minimum: 1 }), issuingProvince: Type.Integer({ minimum: 1, maximum: 99 }), lane: Type.String({ minLength: 1, maxLength: 32 }), verdict: VerdictSchema, note: Note },
  { additionalProperties: false },
);
const LookupQuery = Type.Object({ plate: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });

/** A domain refusal, with a stable code the screen translates. */
function refuse(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: code, message });
}

export function registerScreenRoutes(app: FastifyInstance, d: RouteDeps): void {
  const sessionOf = (req: FastifyRequest): OfficerSession | null => d.sessions.get(req.cookies[SESSION_COOKIE]);
  const requireOfficer = (req: FastifyRequest, reply: FastifyReply): OfficerSession | null => {
    const s = sessionOf(req);
    if (!s) void refuse(reply, 401, 'SIGN_IN_REQUIRED', 'an officer must sign in');
    return s;
  };

  const journalOverride = (reply: FastifyReply, crossing: Crossing, o: Override) => {
    if (o.note.length < 3) return refuse(reply, 400, 'NOTE_REQUIRED', 'an override needs a written reason');
    try {
      const e = d.engine.overrideCrossing(crossing, o);
      return { seq: e.record.seq, crossingId: e.crossing.id, verdict: e.crossing.verdict };
    } catch (err) {
      // Nothing was written (one transaction): the officer must know the override is not on record.
      d.log('error', 'override could not be journaled', { crossing: crossing.id, error: String(err) });
      return refuse(reply, 503, 'NOT_SAVED', 'the override could not be saved; try again');
    }
  };

  app.get('/api/meta', async () => ({
    station: d.station, reasons: REASONS, actions: REASON_ACTIONS, goods: GOODS, officers: d.sessions.count,
    verdictHoldMs: d.screen.verdictHoldMs, serverAlertMs: d.screen.serverAlertMs, cacheStaleMs: d.screen.cacheStaleMs(),
  }));

  // The shared glossary and place names as a browser module, the same one the server's web app loads.
  const glossary = glossaryModuleSource();
  app.get('/glossary.js', async (_req, reply) => reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(glossary));

  app.get('/api/session', async (req) => ({ officer: sessionOf(req)?.officer ?? null }));

  app.post<{ Body: Static<typeof SignInBody> }>('/api/session', { schema: { body: SignInBody } }, async (req, reply) => {
    const result = await d.sessions.signIn(req.body.id.trim(), req.body.pin);
    if (!result.ok) {
      if (result.code === 'LOCKED') reply.header('retry-after', Math.ceil((result.retryAfterMs ?? 0) / 1000));
      return refuse(reply, result.code === 'LOCKED' ? 429 : 401, result.code, result.code === 'LOCKED' ? 'too many wrong PINs; wait' : 'wrong officer id or PIN');
    }
    const { session } = result;
    reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, sameSite: 'strict', secure: d.secureCookie, expires: new Date(session.expiresAt) });
    return { officer: session.officer };
  });

  app.delete('/api/session', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token && d.sessions.signOut(token)) d.hub.endSession(sessionKey(token));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { officer: null };
  });

  app.get('/events', (req, reply) => {
    const session = sessionOf(req);
    reply.hijack();
    const send = d.hub.open(reply.raw, session?.key ?? null, session !== null);
    const decisions = d.state.recent();
    const crossings = d.state.crossingViews();
    send('hello', {
      station: d.station,
      serverNow: d.clock(),
      officer: session?.officer ?? null,
      status: d.status(),
      decisions: session ? decisions : decisions.map(redactDecision),
      crossings: session ? crossings : crossings.map(redactCrossing),
    });
  });

  app.get<{ Querystring: Static<typeof LookupQuery> }>('/api/lookup', { schema: { querystring: LookupQuery } }, async (req, reply) => {
    if (!requireOfficer(req, reply)) return reply;
    return { passes: (await lookupPlate(d.store, req.query.plate, 20)).map(passView) };
  });

  app.get('/api/shift', async (req, reply) => {
    const s = requireOfficer(req, reply);
    if (!s) return reply;
    return shiftSummary((seq, limit) => d.store.journalSince(seq, limit), s);
  });

  app.post<{ Body: Static<typeof OverrideBody> }>('/api/override', { schema: { body: OverrideBody } }, async (req, reply) => {
    const s = requireOfficer(req, reply);
    if (!s) return reply;
    const crossing = d.state.crossing(req.body.crossingId);
    if (!crossing) return refuse(reply, 404, 'CROSSING_UNKNOWN', 'that crossing is no longer on this screen');
    return journalOverride(reply, crossing, { verdict: req.body.verdict, officer: s.officer.id, note: req.body.note.trim() });
  });

  // A code that cannot be read: the officer found the pass by its plate and decides by hand.
  app.post<{ Body: Static<typeof ManualBody> }>('/api/manual', { schema: { body: ManualBody } }, async (req, reply) => {
    const s = requireOfficer(req, reply);
    if (!s) return reply;
    const lane = d.status().scanners.find((x) => x.lane === req.body.lane);
    if (!lane) return refuse(reply, 400, 'LANE_UNKNOWN', `no lane ${req.body.lane} at this station`);
    const pass = d.store.getPass(req.body);
    if (!pass) return refuse(reply, 404, 'PASS_UNKNOWN', 'that pass is not in the station cache');
    const now = d.clock();
    const manual: Crossing = {
      id: randomUUID(),
      kind: 'vehicle',
      lane: lane.lane,
      direction: lane.direction,
      openedAt: now,
      closesAt: now,
      state: 'closed',
      pass: { passId: pass.passId, issuingProvince: pass.issuingProvince, version: pass.version, plate: pass.plate, crew: pass.crew.map((c) => ({ citizenId: c.citizenId, name: c.name, role: c.role })), validTo: pass.validTo },
      findings: [],
      members: [],
      // What the machine could say: the code was not read, so the officer must look.
      verdict: 'REVIEW',
      reasons: ['UNREADABLE'],
      closedBy: 'override',
    };
    return journalOverride(reply, manual, { verdict: req.body.verdict, officer: s.officer.id, note: req.body.note.trim() });
  });
}
