import Database from 'better-sqlite3';
import type { StationOfficer } from '../../shared/contracts/officers.js';

/** A signed-in officer as kept on disk: the token only as its SHA-256, so the file cannot sign anyone in. */
export interface StoredSession {
  key: string;
  officerId: string;
  officerName: string;
  startedAt: number;
  startSeq: number;
  expiresAt: number;
}

export interface Lockout {
  failures: number;
  lockedUntil: number;
}

/**
 * What the officer screen must not forget across a restart: the officers the province sent (PIN hashes
 * only), the signed-in sessions, and each known officer's failed PINs and lock. Its own small SQLite
 * file beside the station's store, so the screen's state never touches the decision path.
 */
export interface OfficerStore {
  centralOfficers(): StationOfficer[];
  centralOfficer(id: string): StationOfficer | null;
  centralVersion(): number;
  /** replace the province's list whole (what the server sent is the truth) */
  replaceCentral(officers: readonly StationOfficer[], version: number): void;
  saveSession(s: StoredSession): void;
  session(key: string): StoredSession | null;
  deleteSession(key: string): boolean;
  /** delete sessions expired at `now`; returns their keys */
  sweepSessions(now: number): string[];
  lockout(officerId: string): Lockout | null;
  setLockout(officerId: string, l: Lockout): void;
  clearLockout(officerId: string): void;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS central_officers (id TEXT PRIMARY KEY, name TEXT NOT NULL, pin_hash TEXT NOT NULL, disabled INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS central_version (one INTEGER PRIMARY KEY CHECK (one = 1), version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (key TEXT PRIMARY KEY, officer_id TEXT NOT NULL, officer_name TEXT NOT NULL,
  started_at INTEGER NOT NULL, start_seq INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires_at);
CREATE TABLE IF NOT EXISTS lockouts (officer_id TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until INTEGER NOT NULL);
`;

/** Open (creating) the officer store at `path`, or ':memory:' for tests and screens without a data folder. */
export function openOfficerStore(path: string): OfficerStore {
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  const q = {
    officers: db.prepare('SELECT id, name, pin_hash AS pinHash, disabled FROM central_officers ORDER BY id'),
    officer: db.prepare('SELECT id, name, pin_hash AS pinHash, disabled FROM central_officers WHERE id = ?'),
    version: db.prepare('SELECT version FROM central_version WHERE one = 1'),
    clearOfficers: db.prepare('DELETE FROM central_officers'),
    addOfficer: db.prepare('INSERT INTO central_officers (id, name, pin_hash, disabled) VALUES (?, ?, ?, ?)'),
    setVersion: db.prepare('INSERT INTO central_version (one, version) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET version = excluded.version'),
    saveSession: db.prepare('INSERT OR REPLACE INTO sessions (key, officer_id, officer_name, started_at, start_seq, expires_at) VALUES (@key, @officerId, @officerName, @startedAt, @startSeq, @expiresAt)'),
    session: db.prepare('SELECT key, officer_id AS officerId, officer_name AS officerName, started_at AS startedAt, start_seq AS startSeq, expires_at AS expiresAt FROM sessions WHERE key = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE key = ?'),
    expired: db.prepare('SELECT key FROM sessions WHERE expires_at <= ?'),
    lockout: db.prepare('SELECT failures, locked_until AS lockedUntil FROM lockouts WHERE officer_id = ?'),
    setLockout: db.prepare('INSERT OR REPLACE INTO lockouts (officer_id, failures, locked_until) VALUES (?, ?, ?)'),
    clearLockout: db.prepare('DELETE FROM lockouts WHERE officer_id = ?'),
  };
  const replace = db.transaction((officers: readonly StationOfficer[], version: number) => {
    q.clearOfficers.run();
    for (const o of officers) q.addOfficer.run(o.id, o.name, o.pinHash, o.disabled ? 1 : 0);
    q.setVersion.run(version);
  });
  const sweep = db.transaction((now: number) => {
    const keys = (q.expired.all(now) as { key: string }[]).map((r) => r.key);
    for (const k of keys) q.deleteSession.run(k);
    return keys;
  });
  return {
    centralOfficers: () => (q.officers.all() as (Omit<StationOfficer, 'disabled'> & { disabled: number })[]).map((o) => ({ ...o, disabled: o.disabled === 1 })),
    centralOfficer: (id) => {
      const o = q.officer.get(id) as (Omit<StationOfficer, 'disabled'> & { disabled: number }) | undefined;
      return o ? { ...o, disabled: o.disabled === 1 } : null;
    },
    centralVersion: () => (q.version.get() as { version: number } | undefined)?.version ?? 0,
    replaceCentral: (officers, version) => replace(officers, version),
    saveSession: (s) => void q.saveSession.run(s),
    session: (key) => (q.session.get(key) as StoredSession | undefined) ?? null,
    deleteSession: (key) => q.deleteSession.run(key).changes > 0,
    sweepSessions: (now) => sweep(now),
    lockout: (id) => (q.lockout.get(id) as Lockout | undefined) ?? null,
    setLockout: (id, l) => void q.setLockout.run(id, l.failures, l.lockedUntil),
    clearLockout: (id) => void q.clearLockout.run(id),
    close: () => db.close(),
  };
}
