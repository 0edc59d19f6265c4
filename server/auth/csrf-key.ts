import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerConfig } from '../config.js';

/**
 * The HMAC key that binds CSRF tokens to sessions. Kept in a 0600 file beside the database so that a
 * restart does not invalidate the tokens of open pages; an in-memory database (tests) gets a fresh one.
 */
export function csrfHmacKey(config: Pick<ServerConfig, 'dbFile' | 'dataDir'>): Buffer {
  if (config.dbFile === ':memory:') return randomBytes(32);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const file = join(config.dataDir, 'csrf-hmac.key');
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (key.length >= 32) {
      chmodSync(file, 0o600);
      return key;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64url'), { mode: 0o600 });
  return key;
}
