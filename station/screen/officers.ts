import { createHash, randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_PIN_COST, dummyPinHash, PIN_HASH_PATTERN, pinHashCost, verifyPin } from '../../shared/auth/pin-hash.js';
import { OfficerId } from '../../shared/contracts/officers.js';
import { openOfficerStore, type OfficerStore } from './officer-store.js';

export { hashPin, verifyPin, PIN_HASH_PATTERN } from '../../shared/auth/pin-hash.js';

/**
 * Officers listed in the station's own config (a fallback for a station without a server, and for the
 * demo). Officers a province admin manages centrally arrive by sync and take precedence. The PIN is kept
 * only as a scrypt hash (make one with `npx tsx station/screen/hash-pin.ts`).
 */
export const OfficerAccountSchema = Type.Object(
  { id: OfficerId, name: Type.String({ minLength: 1, maxLength: 100 }), pinHash: Type.String({ maxLength: 300, pattern: PIN_HASH_PATTERN }) },
  { additionalProperties: false },
);
export type OfficerAccount = Static<typeof OfficerAccountSchema>;

export interface OfficerSession {
  token: string;
  /** SHA-256 of the token: what the disk and the event streams know the session by */
  key: string;
  officer: { id: string; name: string };
  /** sign-in time and the journal's last seq then: the shift summary counts from there */
  startedAt: number;
  startSeq: number;
  expiresAt: number;
}

export type SignInResult =
  | { ok: true; session: OfficerSession }
  | { ok: false; code: 'BAD_CREDENTIALS' | 'LOCKED'; retryAfterMs?: number };

export interface SessionOptions {
  /** a shift; the officer signs in again after it (default 12 h) */
  ttlMs?: number;
  /** failed PINs for one officer id before it is locked (default 5) */
  maxFailures?: number;
  /** how long a lock lasts (default 5 min) */
  lockMs?: number;
  clock?: () => number;
  /** the journal's last seq, remembered at sign-in for the shift summary */
  journalSeq?: () => number;
  /** where sessions, locks and the province's officers are kept (default: in memory) */
  store?: OfficerStore;
}

export const sessionKey = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** Ids nobody has: their failures are counted only to look like a real id's, so forgetting the oldest is harmless. */
const UNKNOWN_IDS_KEPT = 10_000;

/**
 * Signed-in officers and their PIN locks. Sessions and a known officer's failures are kept in the
 * officer store, so a restart signs nobody out and unlocks nobody, and no amount of sign-in traffic
 * for other ids can push a real officer's lock out (finding 8 of issue 11).
 */
export class OfficerSessions {
  private readonly local = new Map<string, OfficerAccount>();
  private readonly unknownFailures = new Map<string, Lockout>();
  private readonly ttlMs: number;
  private readonly maxFailures: number;
  private readonly lockMs: number;
  private readonly clock: () => number;
  private readonly journalSeq: () => number;
  readonly store: OfficerStore;
  private dummy: string;

  constructor(officers: readonly OfficerAccount[], opts: SessionOptions = {}) {
    for (const o of officers) this.local.set(o.id, o);
    this.ttlMs = opts.ttlMs ?? 12 * 3_600_000;
    this.maxFailures = opts.maxFailures ?? 5;
    this.lockMs = opts.lockMs ?? 5 * 60_000;
    this.clock = opts.clock ?? Date.now;
    this.journalSeq = opts.journalSeq ?? (() => 0);
    this.store = opts.store ?? openOfficerStore(':memory:');
    this.dummy = this.makeDummy();
  }

  /** How many officers may sign in here. */
  get count(): number {
    const ids = new Set(this.local.keys());
    for (const o of this.store.centralOfficers()) (o.disabled ? ids.delete(o.id) : ids.add(o.id));
    return ids.size;
  }

  /** The province's officers as the server sent them; sessions of officers no longer allowed end. */
  replaceCentral(officers: Parameters<OfficerStore['replaceCentral']>[0], version: number): void {
    this.store.replaceCentral(officers, version);
    this.dummy = this.makeDummy();
  }

  /** A central record wins over the config's (a province admin disabled or re-PINned the officer). */
  account(id: string): OfficerAccount | null {
    const central = this.store.centralOfficer(id);
    if (central) return central.disabled ? null : { id: central.id, name: central.name, pinHash: central.pinHash };
    return this.local.get(id) ?? null;
  }

  async signIn(id: string, pin: string): Promise<SignInResult> {
    const now = this.clock();
    const account = this.account(id);
    const f = (account ? this.store.lockout(id) : this.unknownFailures.get(id)) ?? { failures: 0, lockedUntil: 0 };
    if (f.lockedUntil > now) return { ok: false, code: 'LOCKED', retryAfterMs: f.lockedUntil - now };
    // An unknown id costs the same scrypt as a known one, so timing does not tell which ids exist.
    const ok = await verifyPin(pin, account?.pinHash ?? this.dummy);
    if (!account || !ok) {
      const failures = f.failures + 1;
      const next = failures >= this.maxFailures ? { failures: 0, lockedUntil: now + this.lockMs } : { failures, lockedUntil: 0 };
      if (account) this.store.setLockout(id, next);
      else this.rememberUnknown(id, next);
      return next.lockedUntil ? { ok: false, code: 'LOCKED', retryAfterMs: this.lockMs } : { ok: false, code: 'BAD_CREDENTIALS' };
    }
    this.store.clearLockout(id);
    const token = randomBytes(24).toString('base64url');
    const session: OfficerSession = {
      token, key: sessionKey(token), officer: { id: account.id, name: account.name },
      startedAt: now, startSeq: this.journalSeq(), expiresAt: now + this.ttlMs,
    };
    this.store.saveSession({ key: session.key, officerId: account.id, officerName: account.name, startedAt: now, startSeq: session.startSeq, expiresAt: session.expiresAt });
    return { ok: true, session };
  }

  private rememberUnknown(id: string, l: Lockout): void {
    this.unknownFailures.delete(id);
    this.unknownFailures.set(id, l);
    if (this.unknownFailures.size > UNKNOWN_IDS_KEPT) this.unknownFailures.delete(this.unknownFailures.keys().next().value!);
  }

  /** The live session for a token, or null (unknown, expired, or its officer no longer allowed). */
  get(token: string | undefined): OfficerSession | null {
    if (!token) return null;
    const key = sessionKey(token);
    const s = this.store.session(key);
    if (!s) return null;
    if (s.expiresAt <= this.clock() || !this.account(s.officerId)) {
      this.store.deleteSession(key);
      return null;
    }
    return { token, key, officer: { id: s.officerId, name: s.officerName }, startedAt: s.startedAt, startSeq: s.startSeq, expiresAt: s.expiresAt };
  }

  /** Whether the session stored under `key` may still see personal data (not expired, officer still allowed). */
  isLive(key: string): boolean {
    const s = this.store.session(key);
    return s !== null && s.expiresAt > this.clock() && this.account(s.officerId) !== null;
  }

  signOut(token: string): boolean {
    return this.store.deleteSession(sessionKey(token));
  }

  /** Drop expired sessions; returns their keys so open screens can be told. */
  sweep(): string[] {
    return this.store.sweepSessions(this.clock());
  }

  private makeDummy(): string {
    // The same cost as the officers' own hashes: an unknown id takes as long to refuse as a wrong PIN.
    const first = [...this.local.values()][0]?.pinHash ?? this.store.centralOfficers()[0]?.pinHash;
    return dummyPinHash((first && pinHashCost(first)) || DEFAULT_PIN_COST);
  }
}

type Lockout = { failures: number; lockedUntil: number };
