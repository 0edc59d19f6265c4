import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * An officer's PIN as the server stores it and the stations receive it: only a scrypt hash,
 * `scrypt$N$r$p$<salt base64url>$<hash base64url>`. The server hashes a PIN once when a province
 * admin sets it; a station checks a PIN typed at its screen against the hash it was sent.
 */
export const PIN_HASH_PATTERN = '^scrypt\\$\\d+\\$\\d+\\$\\d+\\$[A-Za-z0-9_-]{16,}\\$[A-Za-z0-9_-]{32,}$';

const KEY_LEN = 32;
export const DEFAULT_PIN_COST = { N: 16_384, r: 8, p: 1 };
export type PinCost = typeof DEFAULT_PIN_COST;

function scryptAsync(pin: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, KEY_LEN, { ...opts, maxmem: 128 * opts.N! * opts.r! * 2 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Hash a PIN. A 4-6 digit PIN is weak alone: sign-in attempts are limited too (and the lock survives). */
export async function hashPin(pin: string, cost: PinCost = DEFAULT_PIN_COST): Promise<string> {
  if (pin.length < 4) throw new Error('a PIN has at least 4 characters');
  const salt = randomBytes(16);
  const key = await scryptAsync(pin, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** The cost a hash was made with, or null for a malformed one (so a dummy check can cost the same). */
export function pinHashCost(pinHash: string): PinCost | null {
  const parts = pinHash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds keep a hostile hash from making one sign-in eat the machine's memory.
  if (!(N >= 1024 && N <= 1_048_576 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16)) return null;
  return { N, r, p };
}

/** True when `pin` matches `pinHash`; false for a wrong PIN or a malformed hash (never throws). */
export async function verifyPin(pin: string, pinHash: string): Promise<boolean> {
  const cost = pinHashCost(pinHash);
  if (!cost) return false;
  const parts = pinHash.split('$');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LEN) return false;
  try {
    const key = await scryptAsync(pin, Buffer.from(parts[4]!, 'base64url'), cost);
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

/** A well-formed hash of a random PIN nobody knows, at `cost`: an unknown id is checked against it. */
export function dummyPinHash(cost: PinCost = DEFAULT_PIN_COST): string {
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${randomBytes(16).toString('base64url')}$${randomBytes(KEY_LEN).toString('base64url')}`;
}
