import { randomBytes } from 'node:crypto';
import type { SqlClient } from '../db/sql-client.js';

const CSRF_KEY = 'csrf-hmac';

/**
 * The HMAC key that binds CSRF tokens to sessions, shared by every server instance through the
 * database (`server_secrets`): a token issued by instance A is accepted by instance B, and a restart
 * keeps open pages' tokens valid. The first instance to start makes it; a concurrent first start on
 * another instance loses the insert race and reads the winner's key.
 */
export async function csrfHmacKey(db: SqlClient, now: number): Promise<Buffer> {
  await db.run(
    'INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
    [CSRF_KEY, randomBytes(32).toString('base64url'), now],
  );
  const row = await db.get<{ value: string }>('SELECT value FROM server_secrets WHERE name = ?', [CSRF_KEY]);
  const key = Buffer.from(row!.value, 'base64url');
  if (key.length < 32) throw new Error(`server_secrets ${CSRF_KEY} is shorter than 32 bytes`);
  return key;
}
