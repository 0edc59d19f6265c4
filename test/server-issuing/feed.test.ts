import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { SnapshotRequiredSchema } from '../../shared/contracts/feed.js';
import { DEFAULT_POLICY } from '../../shared/rules/policy.js';
import { PolicySchema } from '../../shared/rules/policy.js';
import { openDocument } from '../../shared/trust/signed-document.js';
import { DAY, fetchTrust, makeWorld, passInput, pullDeltas, serverState, takeSnapshot, type World } from './fixtures.js';

describe('station feed', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.app.close());

  const post = (url: string, payload: object, headers = w.transport.headers) => w.app.inject({ method: 'POST', url, headers, payload });
  const { version: _v, issuedAt: _i, ...rules } = DEFAULT_POLICY;

  async function mutate(round: number) {
    const a = (await post('/api/v1/passes', passInput())).json();
    const b = (await post('/api/v1/passes', passInput({ validTo: null }))).json();
    await post(`/api/v1/passes/${a.passId}/amend`, { changes: { routeProvinces: [74, 75] } , reason: 'sửa' });
    await post(`/api/v1/passes/${b.passId}/extend`, { validTo: Date.UTC(2021, 11, 31), reason: 'gia hạn' });
    await post(`/api/v1/passes/${a.passId}/revoke`, { reason: `vòng ${round}` });
    await w.app.inject({ method: 'PUT', url: `/api/v1/zones/79-76${round % 10}`, headers: w.health.headers, payload: { level: 1 + (round % 4) } });
    await w.app.inject({ method: 'PUT', url: '/api/v1/zones/74', headers: w.health.headers, payload: { level: 1 + ((round + 1) % 4) } });
    await post('/api/v1/policy', { ...rules, testValidityHours: { RT_PCR: 72, RAPID_ANTIGEN: 24 + round } }, w.admin.headers);
    await w.app.healthData.apply({ username: 'test' }, [
      { kind: 'declaration', citizenId: `0790555000${String(round).padStart(2, '0')}`, name: 'Phạm Thị Khai', phone: null, declaredAt: w.clock(), originZone: '79-760', doses: 2 },
      { kind: 'flag', citizenId: a.crew[0].citizenId, name: a.crew[0].name, phone: null, status: 'F1', statusAsOf: w.clock() },
    ]);
    // A pass that never crosses this station (checkpoint 1 of 79): only its status line may reach it.
    const elsewhere = (await post('/api/v1/passes', passInput({ routeCheckpoints: [5], routeProvinces: [74] }))).json();
    await post(`/api/v1/passes/${elsewhere.passId}/suspend`, { reason: `vòng ${round}` });
    if (round === 2) await w.app.inject({ method: 'DELETE', url: '/api/v1/zones/74', headers: w.health.headers });
    if (round === 3) await w.app.inject({ method: 'DELETE', url: '/api/v1/people/079055500001', headers: w.health.headers });
    if (round === 3) {
      // b's route leaves this checkpoint; a suspended pass of elsewhere is reinstated; a flagged person recovers.
      await post(`/api/v1/passes/${b.passId}/amend`, { changes: { routeCheckpoints: [2] } , reason: 'sửa' });
      await post(`/api/v1/passes/${elsewhere.passId}/reinstate`, { reason: 'khôi phục' });
      await w.app.healthData.apply({ username: 'test' }, [{ kind: 'flag', citizenId: a.crew[0].citizenId, name: a.crew[0].name, phone: null, status: 'NONE', statusAsOf: w.clock() }]);
    }
    w.clock.advance(60_000);
  }

  it('snapshot then deltas rebuild exactly the server state at each cursor', async () => {
    await mutate(1);
    const snap = await takeSnapshot(w, 3);
    expect(snap.pages).toBeGreaterThan(2);
    expect(snap.replica.sorted()).toEqual(await serverState(w.app));

    let cursor = snap.cursor;
    for (const round of [2, 3, 4]) {
      await mutate(round);
      cursor = await pullDeltas(w, snap.replica, cursor, 4);
      expect(snap.replica.sorted()).toEqual(await serverState(w.app));
    }
    // Not the whole country: passes off this route and unflagged people stay at the server.
    const kinds = (entries: [string, unknown][]) => entries.map(([k]) => k.split(':')[0]);
    const held = snap.replica.sorted();
    const people = (await w.app.database.client.get<{ n: number }>('SELECT count(*) AS n FROM people'))!;
    const passes = (await w.app.database.client.get<{ n: number }>('SELECT count(*) AS n FROM passes'))!;
    expect(kinds(held).filter((k) => k === 'flag').length).toBeLessThan(people.n);
    expect(kinds(held).filter((k) => k === 'pass').length).toBeLessThan(passes.n);
    expect(kinds(held)).toContain('passStatus');
    // Nothing new: an empty page that keeps the cursor.
    const idle = (await w.app.inject({ url: '/api/v1/feed/changes', query: { since: String(cursor) }, headers: w.station })).json();
    expect(idle).toEqual({ items: [], cursor, hasMore: false });

    // What a station receives can be verified: the policy with the trust list's policy key.
    const trust = await fetchTrust(w.app);
    const policyItem = [...snap.replica.entries.values()].find((i) => i.type === 'policy');
    if (policyItem?.type !== 'policy') throw new Error('no policy in the feed');
    const policy = trust.openSigned(policyItem.document, 'policy', w.clock(), (k) => openDocument(policyItem.document, k, PolicySchema));
    expect(policy.testValidityHours.RAPID_ANTIGEN).toBe(28);
  });

  it('a snapshot taken while changes happen is consistent with its cursor once its deltas are applied', async () => {
    for (let i = 0; i < 6; i++) await post('/api/v1/passes', passInput());
    const flagged = { citizenId: '079055599901', name: 'Võ Văn Cách', phone: null };
    await w.app.healthData.apply({ username: 'test' }, [{ kind: 'flag', ...flagged, status: 'F1', statusAsOf: w.clock() }]);
    // Change rows both behind and ahead of the page walk while the snapshot is being read.
    const snap = await takeSnapshot(w, 2, async (page) => {
      if (page === 1) {
        await post('/api/v1/passes/1/revoke', { reason: 'sau con trỏ' });
        await post('/api/v1/passes/6/amend', { changes: { goods: 2 }, reason: 'sửa' });
        await post('/api/v1/passes', passInput());
        await post('/api/v1/policy', { ...rules, maxCacheStaleHours: 2 }, w.admin.headers);
        // A new declaration of a flagged person leaves their flag as it was: no change for stations,
        // and the snapshot under way must still send the flag.
        await w.app.healthData.apply({ username: 'test' }, [{ kind: 'declaration', ...flagged, declaredAt: w.clock(), originZone: '79-760', doses: 2 }]);
      }
    });
    expect(snap.replica.entries.get(`flag:${flagged.citizenId}`)).toMatchObject({ status: 'F1' });
    // Rows changed after the cursor are left to the deltas, never sent in a newer state than the cursor.
    const p6 = snap.replica.entries.get('pass:6');
    expect(p6 === undefined || (p6.type === 'pass' && p6.version === 1)).toBe(true);
    const policy = snap.replica.entries.get('policy');
    expect(policy?.type === 'policy' && JSON.parse(policy.document.body).version).toBe(1);
    await pullDeltas(w, snap.replica, snap.cursor, 100);
    expect(snap.replica.sorted()).toEqual(await serverState(w.app));
  });

  it('answers 410 SNAPSHOT_REQUIRED for a cursor older than the retained changes, or ahead of the server', async () => {
    await post('/api/v1/passes', passInput());
    const old = await takeSnapshot(w, 100);
    await post('/api/v1/passes', passInput());
    w.clock.advance(30 * DAY);
    expect((await post('/api/v1/passes', passInput({ validTo: null }))).statusCode).toBe(201);
    expect(await w.app.feed.compact()).toBeGreaterThan(0);

    const gone = await w.app.inject({ url: '/api/v1/feed/changes', query: { since: String(old.cursor) }, headers: w.station });
    expect(gone.statusCode).toBe(410);
    expect(Value.Check(SnapshotRequiredSchema, gone.json())).toBe(true);
    expect(gone.json().oldestCursor).toBeGreaterThan(old.cursor);
    // A cursor exactly at the compaction point has missed nothing and may continue.
    const edge = await w.app.inject({ url: '/api/v1/feed/changes', query: { since: String(gone.json().oldestCursor) }, headers: w.station });
    expect(edge.statusCode).toBe(200);
    expect(edge.json().items).toHaveLength(1);

    const ahead = await w.app.inject({ url: '/api/v1/feed/changes', query: { since: '999999' }, headers: w.station });
    expect(ahead.statusCode).toBe(410);

    // A new snapshot after compaction still carries everything, and its cursor is accepted.
    const fresh = await takeSnapshot(w, 100);
    expect(fresh.replica.sorted()).toEqual(await serverState(w.app));
    const ok = await w.app.inject({ url: '/api/v1/feed/changes', query: { since: String(fresh.cursor) }, headers: w.station });
    expect(ok.statusCode).toBe(200);
  });

  it('is for stations only and rejects a forged page token with 400', async () => {
    expect((await w.app.inject({ url: '/api/v1/feed/snapshot' })).statusCode).toBe(401);
    expect((await w.app.inject({ url: '/api/v1/feed/changes?since=0', headers: w.admin.headers })).statusCode).toBe(403);
    expect((await w.app.inject({ url: '/api/v1/feed/changes?since=0', headers: { authorization: 'Station st-1:wrong' } })).statusCode).toBe(401);
    const bad = await w.app.inject({ url: '/api/v1/feed/snapshot', query: { page: 'bm90LWEtdG9rZW4' }, headers: w.station });
    expect(bad.statusCode).toBe(400);
    expect((await w.app.inject({ url: '/api/v1/feed/changes', query: { since: '-1' }, headers: w.station })).statusCode).toBe(400);
  });
});
