import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes: enough entropy that a plain SHA-256 at rest is safe (no slow hash needed per request). */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
