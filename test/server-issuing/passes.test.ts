import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCode } from '../../shared/codes/read-code.js';
import { PassFactsSchema } from '../../shared/contracts/feed.js';
import { Value } from '@sinclair/typebox/value';
import { userWithRole } from '../server/helpers.js';
import { DAY, decodeQrPng, fetchTrust, makeWorld, passInput, type World } from './fixtures.js';

describe('passes through the API', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.app.close());

  const create = (body: unknown, headers = w.transport.headers) => w.app.inject({ method: 'POST', url: '/api/v1/passes', headers, payload: body as object });

  it('issues a pass whose code verifies with the published trust list and whose PNG decodes to the same code', async () => {
    const input = passInput();
    const res = await create(input);
    expect(res.statusCode).toBe(201);
    const pass = res.json();
    expect(pass).toMatchObject({ passId: 1, version: 1, status: 'ACTIVE', plate: input.plate, issuingProvince: 79, maxStayHours: 24, direction: 'both' });

    const trust = await fetchTrust(w.app);
    const read = readCode(pass.code, trust, w.clock());
    expect(read).toMatchObject({ ok: true, kind: 'pass' });
    if (!read.ok || read.kind !== 'pass') throw new Error('unreachable');
    expect(read.pass).toMatchObject({ passId: 1, version: 1, plate: input.plate, crew: input.crew.map((c) => c.citizenId), issuingProvince: 79, originZone: '79-760', routeCheckpoints: [1, 2] });

    const png = await w.app.inject({ url: '/api/v1/passes/1/code.png', headers: w.transport.headers });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(decodeQrPng(png.rawPayload)).toBe(pass.code);

    const svg = await w.app.inject({ url: '/api/v1/passes/1/code.svg', headers: w.transport.headers });
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toMatch(/^<svg/);
  });

  it('amends (new version, new code), extends without reprint, suspends, reinstates and revokes with reasons', async () => {
    const first = (await create(passInput())).json();
    const h = w.transport.headers;
    const amended = await w.app.inject({ method: 'POST', url: `/api/v1/passes/${first.passId}/amend`, headers: h, payload: { changes: { routeCheckpoints: [1, 2, 3] }, reason: 'thêm chốt 3' } });
    expect(amended.statusCode).toBe(200);
    expect(amended.json()).toMatchObject({ version: 2, routeCheckpoints: [1, 2, 3], plate: first.plate });
    expect(amended.json().code).not.toBe(first.code);

    const extended = (await w.app.inject({ method: 'POST', url: `/api/v1/passes/${first.passId}/extend`, headers: h, payload: { validTo: null, reason: 'theo chỉ đạo' } })).json();
    expect(extended).toMatchObject({ version: 2, validTo: null });
    expect(extended.code).toBe(amended.json().code);

    const noReason = await w.app.inject({ method: 'POST', url: `/api/v1/passes/${first.passId}/suspend`, headers: h, payload: {} });
    expect(noReason.statusCode).toBe(400);
    const suspended = await w.app.inject({ method: 'POST', url: `/api/v1/passes/${first.passId}/suspend`, headers: h, payload: { reason: 'kiểm tra lộ trình' } });
    expect(suspended.json()).toMatchObject({ status: 'SUSPENDED', statusReason: 'kiểm tra lộ trình' });
    const again = await w.app.inject({ method: 'POST', url: `/api/v1/passes/${first.passId}/suspend`, headers: h, payload: { reason: 'x' } });
    expect(again.statusCode).toBe(409);
    expect((await w.app.inject({ method: 'POST', url: `/api/v1/passes/${first.passId}/reinstate`, headers: h, payload: { reason: 'đã khắc phục' } })).json().status).toBe('ACTIVE');
    const revoked = await w.app.inject({ method: 'POST', url: `/api/v1/passes/${first.passId}/revoke`, headers: h, payload: { reason: 'đi sai lộ trình' } });
    expect(revoked.json()).toMatchObject({ status: 'REVOKED', statusReason: 'đi sai lộ trình' });
    const amendRevoked = await w.app.inject({ method: 'POST', url: `/api/v1/passes/${first.passId}/amend`, headers: h, payload: { changes: { goods: 1 }, reason: 'đổi hàng' } });
    expect(amendRevoked.statusCode).toBe(409);

    const history = (await w.app.inject({ url: `/api/v1/passes/${first.passId}/history`, headers: w.command.headers })).json();
    expect(history.map((e: { action: string; version: number }) => `${e.action}@${e.version}`)).toEqual(['create@1', 'amend@2', 'extend@2', 'suspend@2', 'reinstate@2', 'revoke@2']);
    expect(history[5]).toMatchObject({ reason: 'đi sai lộ trình', by: w.transport.username });

    // The feed item is exactly the PassFacts contract.
    const stored = (await w.app.database.client.get<{ item: string }>('SELECT item FROM passes WHERE id = ?', [first.passId]))!;
    expect(Value.Check(PassFactsSchema, JSON.parse(stored.item))).toBe(true);
  });

  it('rejects bad input with a clear 400 and never a 500', async () => {
    for (const bad of [
      passInput({ plate: 'not a plate' }),
      passInput({ crew: [] }),
      passInput({ routeCheckpoints: [], routeProvinces: [] }),
      passInput({ validFrom: Date.UTC(2021, 9, 1), validTo: Date.UTC(2021, 8, 1) }),
      passInput({ crew: [{ citizenId: '079000000001', name: 'A' }, { citizenId: '079000000001', name: 'B' }] }),
      { ...passInput(), extra: 1 },
    ]) {
      const res = await create(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().messageVi).toBeTruthy();
    }
  });

  it('a transport user of province 79 cannot issue for, read or change passes of province 1', async () => {
    const other = await userWithRole(w.app, 'transport', 1);
    expect((await create(passInput({ issuingProvince: 1 }))).statusCode).toBe(403);
    const theirs = (await create(passInput(), other.headers)).json();
    expect(theirs.issuingProvince).toBe(1);
    expect((await w.app.inject({ url: `/api/v1/passes/${theirs.passId}`, headers: w.transport.headers })).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'POST', url: `/api/v1/passes/${theirs.passId}/revoke`, headers: w.transport.headers, payload: { reason: 'x' } })).statusCode).toBe(404);
    const search = (await w.app.inject({ url: '/api/v1/passes', headers: w.transport.headers })).json();
    expect(search.items.map((p: { issuingProvince: number }) => p.issuingProvince)).not.toContain(1);
    // A province's admin is not a national authority: no passes of another province either.
    expect((await create(passInput({ issuingProvince: 2 }), w.admin.headers)).statusCode).toBe(403);
    // Each province's passes are signed with its own key.
    const mine = (await create(passInput())).json();
    const trust = await fetchTrust(w.app);
    expect(readCode(mine.code, trust, w.clock())).toMatchObject({ ok: true });
    expect(readCode(theirs.code, trust, w.clock())).toMatchObject({ ok: true });
    // Roles without issuing rights.
    expect((await create(passInput(), w.command.headers)).statusCode).toBe(403);
    expect((await create(passInput(), w.health.headers)).statusCode).toBe(403);
    expect((await create(passInput(), {} as { authorization: string })).statusCode).toBe(401);
  });

  it('searches by plate, citizen id and status with keyset paging, and logs the reads', async () => {
    const made: { passId: number; plate: string; crew: { citizenId: string }[] }[] = [];
    for (let i = 0; i < 5; i++) made.push((await create(passInput())).json());
    const [, m1, m2, m3] = made as [unknown, (typeof made)[0], (typeof made)[0], (typeof made)[0]];
    await w.app.inject({ method: 'POST', url: `/api/v1/passes/${m1.passId}/revoke`, headers: w.transport.headers, payload: { reason: 'x' } });
    const byPlate = (await w.app.inject({ url: '/api/v1/passes', query: { plate: m2.plate.toLowerCase() }, headers: w.command.headers })).json();
    expect(byPlate.items.map((p: { passId: number }) => p.passId)).toEqual([m2.passId]);
    const byCitizen = (await w.app.inject({ url: '/api/v1/passes', query: { citizenId: m3.crew[1]!.citizenId }, headers: w.command.headers })).json();
    expect(byCitizen.items.map((p: { passId: number }) => p.passId)).toEqual([m3.passId]);
    const revoked = (await w.app.inject({ url: '/api/v1/passes', query: { status: 'REVOKED' }, headers: w.transport.headers })).json();
    expect(revoked.items.map((p: { passId: number }) => p.passId)).toEqual([m1.passId]);

    const seen: number[] = [];
    let before: number | null = null;
    do {
      const page: { items: { passId: number }[]; nextBefore: number | null } = (await w.app.inject({ url: '/api/v1/passes', query: { limit: '2', ...(before ? { before: String(before) } : {}) }, headers: w.transport.headers })).json();
      seen.push(...page.items.map((p: { passId: number }) => p.passId));
      before = page.nextBefore;
    } while (before !== null);
    expect(seen).toEqual(made.map((p) => p.passId).reverse());

    const log = await w.app.accessLog.list(w.admin, { subjectType: 'pass', limit: 100, offset: 0 });
    expect(log.items.some((e) => e.username === w.command.username && e.action === 'passes.search' && e.subjectId === String(m3.passId))).toBe(true);
  });

  it('the A4 sheet shows the pass in Vietnamese first, with a large QR, and escapes hostile text', async () => {
    const hostile = '<script>alert("x")</script>&';
    const pass = (await create(passInput({ company: hostile, permittedStops: `"><img src=x onerror=alert(1)>`, crew: [{ citizenId: '079123456789', name: `Lê <b>Văn</b> 'A'` }] }))).json();
    const res = await w.app.inject({ url: `/api/v1/passes/${pass.passId}/sheet`, headers: w.transport.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>Văn</b>');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;');
    expect(html).toContain(pass.plate);
    expect(html).toContain(`#${pass.passId}`);
    expect(html.indexOf('Đơn vị vận tải')).toBeLessThan(html.indexOf('Company'));
    expect(html).toMatch(/\.qr svg \{ width: 10cm; height: 10cm; \}/);
    expect(html).toContain('<svg');
  });

  it('until further notice: validTo null is printed and stored as such', async () => {
    const pass = (await create(passInput({ validTo: null, validFrom: w.clock() - DAY }))).json();
    expect(pass.validTo).toBeNull();
    const read = readCode(pass.code, await fetchTrust(w.app), w.clock());
    expect(read.ok && read.kind === 'pass' && read.pass.validTo).toBeNull();
  });
});
