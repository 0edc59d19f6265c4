import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { passInput } from '../server-issuing/fixtures.js';
import { journalChain } from '../server/journal-fixtures.js';
import { makeTestApp, registerStation, testClock, userWithRole, sqlScalar, sqlColumn } from '../server/helpers.js';

/** Findings 4, 5 and 12 of the outside probe (issue 11): input that passed the schemas and should not have, or crashed after. */
let app: FastifyInstance;
afterEach(async () => app?.close());

/** The field a 400 names: schema errors list `fields[].field` (body/validTo), domain errors `field`. */
const named = (res: { json: () => unknown }) => JSON.stringify(res.json());

describe('no 500 on input that passes the schemas', () => {
  it('finding 4: a pass valid beyond what the code can carry is a 400 naming validTo, at issue, amend and extend', async () => {
    app = await makeTestApp({ clock: testClock() });
    const transport = await userWithRole(app, 'transport', 79);
    const post = (url: string, payload: Record<string, unknown>) => app.inject({ method: 'POST', url, headers: transport.headers, payload });
    const far = await post('/api/v1/passes', passInput({ validTo: 5e12 }));
    expect(far.statusCode).toBe(400);
    expect(named(far)).toContain('validTo');
    const pass = (await post('/api/v1/passes', passInput())).json() as { passId: number; validTo: number; code: string };
    const extend = await post(`/api/v1/passes/${pass.passId}/extend`, { validTo: 5e12, reason: 'gia hạn' });
    expect(extend.statusCode).toBe(400);
    expect(named(extend)).toContain('validTo');
    expect((await post(`/api/v1/passes/${pass.passId}/amend`, { changes: { validTo: 5e12 }, reason: 'sửa hạn' })).statusCode).toBe(400);
    // Nothing changed, and the service refuses the same date when called without the HTTP schema (CSV import, seeding).
    expect((await app.inject({ url: `/api/v1/passes/${pass.passId}`, headers: transport.headers })).json()).toMatchObject({ validTo: pass.validTo, version: 1 });
    await expect(app.passes.extend(transport, pass.passId, 5e12, 'gia hạn')).rejects.toThrow(/validTo: after 2106/);
    // The last date the code can carry still signs.
    expect((await post(`/api/v1/passes/${pass.passId}/amend`, { changes: { validTo: (2 ** 32 - 1) * 1000 }, reason: 'sửa hạn' })).statusCode).toBe(200);
  });

  it('finding 4: a station record whose note is JSON nested 100,000 deep is one rejected record, not a 500; the rest of the batch is stored', async () => {
    app = await makeTestApp({ clock: testClock() });
    const admin = await userWithRole(app, 'admin', 1);
    const station = await registerStation(app, admin);
    const records = journalChain(station.stationId, 3);
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const body = JSON.stringify({ stationId: station.stationId, records }).replace('"note":null', `"note":${deep}`);
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: { ...station.headers, 'content-type': 'application/json' }, payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ stored: 2, ackedSeq: 3, rejected: [{ index: 0, seq: 1, message: expect.stringMatching(/^\/note: /) }] });
    const kept = (await sqlScalar(app, 'SELECT record FROM journal_rejects WHERE station_id = ?', [station.stationId])) as string;
    expect(kept).toContain('nested too deep');
  });
});

describe('station records are checked strictly', () => {
  it("finding 5: unsafe sequence numbers and another station's lanes are per-record rejections the station sees; nothing is stored rounded", async () => {
    app = await makeTestApp({ clock: testClock() });
    const admin = await userWithRole(app, 'admin', 1);
    const station = await registerStation(app, admin); // lanes L1 and L2
    const [r1, r2, r3, r4] = journalChain(station.stationId, 4, (seq) => (seq === 4 ? { lane: 'L9' } : {}));
    // 1e300 and 2^53+1 as the probe sent them: raw JSON numbers (JavaScript cannot hold the second one exactly).
    const body = JSON.stringify({ stationId: station.stationId, records: [r1, { ...r2, seq: 777001 }, { ...r3, seq: 777002 }, r4] })
      .replace('"seq":777001', '"seq":1e300').replace('"seq":777002', '"seq":9007199254740993');
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: { ...station.headers, 'content-type': 'application/json' }, payload: body });
    expect(res.statusCode).toBe(200);
    const ack = res.json() as { stored: number; rejected: { index: number; seq: number | null; message: string }[] };
    expect(ack.stored).toBe(1);
    expect(ack.rejected).toEqual([
      { index: 1, seq: null, message: expect.stringMatching(/^\/seq: .*9007199254740991/) },
      { index: 2, seq: null, message: expect.stringMatching(/^\/seq: .*9007199254740991/) },
      { index: 3, seq: 4, message: expect.stringMatching(/^\/lane: L9 is not one of this station's lanes \(L1, L2\)/) },
    ]);
    const seqs = (await sqlColumn(app, 'SELECT seq FROM journal WHERE station_id = ?', [station.stationId]));
    expect(seqs).toEqual([1]);
    const alerts = (await sqlColumn(app, 'SELECT message FROM station_alerts WHERE station_id = ?', [station.stationId])) as string[];
    expect(alerts.join('\n')).not.toMatch(/e\+300|9007199254740992/);
  });
});

describe('strict input: numbers are numbers, ids are canonical, names are visible', () => {
  it('finding 12: no string-to-number coercion in bodies, canonical ids in paths and queries, crew names with visible letters', async () => {
    app = await makeTestApp({ clock: testClock() });
    const transport = await userWithRole(app, 'transport', 79);
    const create = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/passes', headers: transport.headers, payload });
    for (const [field, value] of [['issuingProvince', '79'], ['goods', '0'], ['validTo', String(Date.UTC(2021, 9, 1))], ['maxStayHours', '24']] as const) {
      const res = await create(passInput({ [field]: value }));
      expect(res.statusCode, field).toBe(400);
      expect(named(res), field).toContain(`body/${field}`);
    }
    const pass = (await create(passInput({ issuingProvince: 79 }))).json() as { passId: number };
    expect(pass.passId).toBeGreaterThan(0);
    const get = (path: string) => app.inject({ url: `/api/v1/passes/${path}`, headers: transport.headers });
    expect((await get(String(pass.passId))).statusCode).toBe(200);
    for (const odd of [`${pass.passId}.0`, `${pass.passId}%20`, `%20${pass.passId}`, `0${pass.passId}`, `+${pass.passId}`, `${pass.passId}e0`, '0x1']) {
      const res = await get(odd);
      expect(res.statusCode, odd).toBe(400);
      expect(res.json(), odd).toMatchObject({ statusCode: 400, messageVi: expect.any(String) });
    }
    expect((await app.inject({ url: '/api/v1/passes?limit=5.0', headers: transport.headers })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/passes?limit=5', headers: transport.headers })).statusCode).toBe(200);

    for (const name of ['   ', '\u0000', '\u202E', '\u200B\u200B', '\u202E\u200D \u0000', '123 456']) {
      const crew = [{ citizenId: '079000099001', name }];
      const res = await create(passInput({ crew }));
      expect(res.statusCode, JSON.stringify(name)).toBe(400);
      expect(named(res), JSON.stringify(name)).toContain('body/crew/0/name');
    }
    expect((await create(passInput({ crew: [{ citizenId: '079000099001', name: 'Nguyễn Văn Tài' }] }))).statusCode).toBe(201);
    // Health imports take the same rule for names.
    const health = await userWithRole(app, 'health', 79);
    const csv = 'citizenId,name,declaredAt,originZone\n079000099002,\u200B\u200B,2021-09-01T07:00:00+07:00,79\n';
    const imp = await app.inject({ method: 'POST', url: '/api/v1/health/import/declarations', headers: { ...health.headers, 'content-type': 'text/csv' }, payload: csv });
    expect(imp.statusCode).toBe(422);
    expect(imp.body).toMatch(/name: needs a visible letter/);
  });
});
