import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';

/**
 * Officers who may sign in on the station's screen, as listed in the station config. The PIN is kept
 * only as a scrypt hash: `scrypt$N$r$p$<salt base64url>$<hash base64url>` (make one with hashPin, or
 * `npx tsx station/screen/hash-pin.ts`).
 */
export const PIN_HASH_PATTERN = '^scrypt\\$\\d+\\$\\d+\\$\\d+\\$[A-Za-z0-9_-]{16,}\\$[A-Za-z0-9_-]{32,}$';

export const OfficerAccountSchema = Type.Object(
  {
    /** the officer's badge or staff number, typed at sign-in and written into override records */
    id: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    pinHash: Type.String({ maxLength: 300, pattern: PIN_HASH_PATTERN }),
  },
  { additionalProperties: false },
);
export type OfficerAccount = Static<typeof OfficerAccountSchema>;

const KEY_LEN = 32;
const DEFAULT_COST = { N: 16_384, r: 8, p: 1 };

function scryptAsync(pin: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, KEY_LEN, { ...opts, maxmem: 128 * opts.N! * opts.r! * 2 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Hash a PIN for the station config. A 4-6 digit PIN is weak alone: sign-in attempts are limited too. */
export async function hashPin(pin: string, cost: { N: number; r: number; p: number } = DEFAULT_COST): Promise<string> {
  if (pin.length < 4) throw new Error('a PIN has at least 4 characters');
  const salt = randomBytes(16);
  const key = await scryptAsync(pin, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `pin` matches `pinHash`; false for a wrong PIN or a malformed hash (never throws). */
export async function verifyPin(pin: string, pinHash: string): Promise<boolean> {
  const parts = pinHash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds keep a hostile config from making one sign-in eat the machine's memory.
  if (!(N >= 1024 && N <= 1_048_576 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16)) return false;
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LEN) return false;
  try {
    const key = await scryptAsync(pin, Buffer.from(parts[4]!, 'base64url'), { N, r, p });
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

export interface OfficerSession {
  token: string;
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
}

/**
 * Signed-in officers, in memory (a station restart signs everyone out, which is acceptable on a
 * single machine). Failed PINs lock the officer id for a while, so a short PIN cannot be guessed.
 */
export class OfficerSessions {
  private readonly byId = new Map<string, OfficerAccount>();
  private readonly sessions = new Map<string, OfficerSession>();
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();
  private readonly ttlMs: number;
  private readonly maxFailures: number;
  private readonly lockMs: number;
  private readonly clock: () => number;
  private readonly journalSeq: () => number;

  constructor(officers: readonly OfficerAccount[], opts: SessionOptions = {}) {
    this.journalSeq = opts.journalSeq ?? (() => 0);
    for (const o of officers) this.byId.set(o.id, o);
    this.ttlMs = opts.ttlMs ?? 12 * 3_600_000;
    this.maxFailures = opts.maxFailures ?? 5;
    this.lockMs = opts.lockMs ?? 5 * 60_000;
    this.clock = opts.clock ?? Date.now;
  }

  get count(): number {
    return this.byId.size;
  }

  async signIn(id: string, pin: string): Promise<SignInResult> {
    const now = this.clock();
    const f = this.failures.get(id) ?? { count: 0, lockedUntil: 0 };
    if (f.lockedUntil > now) return { ok: false, code: 'LOCKED', retryAfterMs: f.lockedUntil - now };
    const account = this.byId.get(id);
    // An unknown id costs the same scrypt as a known one, so timing does not tell which ids exist.
    const ok = await verifyPin(pin, account?.pinHash ?? DUMMY_HASH);
    if (!account || !ok) {
      const count = f.count + 1;
      // Ids typed at random must not grow this map without bound.
      if (this.failures.size >= 10_000 && !this.failures.has(id)) this.failures.delete(this.failures.keys().next().value!);
      if (count >= this.maxFailures) {
        this.failures.set(id, { count: 0, lockedUntil: now + this.lockMs });
        return { ok: false, code: 'LOCKED', retryAfterMs: this.lockMs };
      }
      this.failures.set(id, { count, lockedUntil: 0 });
      return { ok: false, code: 'BAD_CREDENTIALS' };
    }
    this.failures.delete(id);
    const session: OfficerSession = {
      token: randomBytes(24).toString('base64url'), officer: { id: account.id, name: account.name },
      startedAt: now, startSeq: this.journalSeq(), expiresAt: now + this.ttlMs,
    };
    this.sessions.set(session.token, session);
    return { ok: true, session };
  }

  /** The live session for a token, or null (unknown or expired). */
  get(token: string | undefined): OfficerSession | null {
    if (!token) return null;
    const s = this.sessions.get(token);
    if (!s) return null;
    if (s.expiresAt <= this.clock()) {
      this.sessions.delete(token);
      return null;
    }
    return s;
  }

  signOut(token: string): boolean {
    return this.sessions.delete(token);
  }

  /** Drop expired sessions; returns their tokens so open screens can be told. */
  sweep(): string[] {
    const now = this.clock();
    const gone: string[] = [];
    for (const [token, s] of this.sessions) {
      if (s.expiresAt <= now) {
        this.sessions.delete(token);
        gone.push(token);
      }
    }
    return gone;
  }
}

// A well-formed hash of a random PIN nobody knows, at the default cost.
const DUMMY_HASH = `scrypt$${DEFAULT_COST.N}$${DEFAULT_COST.r}$${DEFAULT_COST.p}$${randomBytes(16).toString('base64url')}$${randomBytes(KEY_LEN).toString('base64url')}`;
