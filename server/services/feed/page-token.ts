import { SNAPSHOT_ENTITIES, type SnapshotPosition } from './snapshot.js';

/**
 * Snapshot page tokens: base64url JSON of the position. Opaque to stations; decoded strictly here
 * because it arrives from the network. Not a secret: a station forging one only skips its own data.
 */
export function encodePageToken(pos: SnapshotPosition): string {
  return Buffer.from(JSON.stringify([pos.cursor, pos.entity, pos.after])).toString('base64url');
}

export function decodePageToken(token: string): SnapshotPosition | null {
  if (token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 3) return null;
  const [cursor, entity, after] = v as unknown[];
  if (typeof cursor !== 'number' || !Number.isSafeInteger(cursor) || cursor < 0) return null;
  if (typeof entity !== 'number' || !Number.isInteger(entity) || entity < 0 || entity > SNAPSHOT_ENTITIES.length) return null;
  if (after !== null && typeof after !== 'string' && !(typeof after === 'number' && Number.isSafeInteger(after))) return null;
  if (typeof after === 'string' && after.length > 64) return null;
  return { cursor, entity, after: after as string | number | null };
}
