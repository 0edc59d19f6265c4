import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPin } from '../../../shared/auth/pin-hash.js';
import { openOfficerStore } from '../../../station/screen/officer-store.js';
import { OfficerSessions, type OfficerAccount } from '../../../station/screen/officers.js';

/**
 * Issue 11, finding 8: the officer screen's PIN lockout lived in a map capped at 10,000 ids with
 * oldest-first eviction, so failing 10,000 other ids cleared a real officer's lock, and a restart
 * cleared every lock and signed everyone out.
 */
const PIN = '4821';
let dir: string;
let officers: OfficerAccount[];
let now: number;
const clock = () => now;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'officer-lockout-'));
  // A cheap scrypt cost: ten thousand wrong sign-ins must run in a test; the check is the real one.
  officers = [{ id: 'CB-001', name: 'Nguyễn Văn An', pinHash: await hashPin(PIN, { N: 1024, r: 1, p: 1 }) }];
  now = 1_800_000_000_000;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = () => new OfficerSessions(officers, { clock, maxFailures: 5, lockMs: 5 * 60_000, store: openOfficerStore(join(dir, 'officers.db')) });

describe('officer PIN lockout and sessions', () => {
  it('finding 8: a locked officer stays locked after 10,001 failed sign-ins of other ids, and after a restart', async () => {
    let sessions = open();
    for (let i = 0; i < 4; i++) expect(await sessions.signIn('CB-001', '0000')).toMatchObject({ ok: false, code: 'BAD_CREDENTIALS' });
    expect(await sessions.signIn('CB-001', '0000')).toMatchObject({ ok: false, code: 'LOCKED' });

    // Flood: more distinct unknown ids than the old map could hold.
    for (let start = 0; start < 10_001; start += 200) {
      const batch = Array.from({ length: Math.min(200, 10_001 - start) }, (_, i) => sessions.signIn(`X-${start + i}`, '0000'));
      for (const r of await Promise.all(batch)) expect(r.ok).toBe(false);
    }
    // The right PIN is still refused: the lock held.
    expect(await sessions.signIn('CB-001', PIN)).toMatchObject({ ok: false, code: 'LOCKED' });

    // A restart (a new process on the same files) keeps the lock.
    sessions.store.close();
    sessions = open();
    const locked = await sessions.signIn('CB-001', PIN);
    expect(locked).toMatchObject({ ok: false, code: 'LOCKED' });
    expect((locked as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);

    // Once the lock has run out, the right PIN signs in.
    now += 5 * 60_000 + 1;
    expect(await sessions.signIn('CB-001', PIN)).toMatchObject({ ok: true });
    sessions.store.close();
  }, 180_000);

  it('a signed-in officer stays signed in across a station restart; the file holds no usable token', async () => {
    let sessions = open();
    const r = await sessions.signIn('CB-001', PIN);
    if (!r.ok) throw new Error('sign-in failed');
    sessions.store.close();
    sessions = open();
    expect(sessions.get(r.session.token)).toMatchObject({ officer: { id: 'CB-001', name: 'Nguyễn Văn An' }, startedAt: now });
    expect(sessions.get(r.session.key)).toBeNull(); // the stored key is not a token
    expect(sessions.signOut(r.session.token)).toBe(true);
    expect(sessions.get(r.session.token)).toBeNull();
    sessions.store.close();
  });

  it("the province's list wins over the config: a disabled officer's session ends and the PIN stops working", async () => {
    const sessions = open();
    const r = await sessions.signIn('CB-001', PIN);
    if (!r.ok) throw new Error('sign-in failed');
    const newPin = await hashPin('9999', { N: 1024, r: 1, p: 1 });
    sessions.replaceCentral([{ id: 'CB-002', name: 'Trần Thị Bình', pinHash: newPin, disabled: false }, { ...officers[0]!, disabled: true }], 3);
    expect(sessions.get(r.session.token)).toBeNull();
    expect(await sessions.signIn('CB-001', PIN)).toMatchObject({ ok: false, code: 'BAD_CREDENTIALS' });
    expect(await sessions.signIn('CB-002', '9999')).toMatchObject({ ok: true, session: { officer: { name: 'Trần Thị Bình' } } });
    expect(sessions.store.centralVersion()).toBe(3);
    sessions.store.close();
  });
});
