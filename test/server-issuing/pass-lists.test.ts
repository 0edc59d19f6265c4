import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, makeWorld, passInput, type World } from './fixtures.js';

interface Listed { items: { passId: number; plate: string }[]; total: number }

describe('passes: reasons, search, lists and bulk print', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.app.close());

  const create = async (over: Record<string, unknown> = {}) =>
    (await w.app.inject({ method: 'POST', url: '/api/v1/passes', headers: w.transport.headers, payload: passInput(over) })).json() as { passId: number; plate: string; version: number };
  const post = (url: string, payload: object) => w.app.inject({ method: 'POST', url, headers: w.transport.headers, payload });
  const list = async (query: Record<string, string>): Promise<Listed> =>
    (await w.app.inject({ url: '/api/v1/passes', query, headers: w.transport.headers })).json();

  it('every change needs a reason: a 400 naming the field in Vietnamese, and the pass is unchanged', async () => {
    const p = await create();
    await post(`/api/v1/passes/${p.passId}/suspend`, { reason: 'kiểm tra' });
    const attempts = [
      post(`/api/v1/passes/${p.passId}/amend`, { changes: { goods: 1 } }),
      post(`/api/v1/passes/${p.passId}/amend`, { changes: { goods: 1 }, reason: '   ' }),
      post(`/api/v1/passes/${p.passId}/extend`, { validTo: null }),
      post(`/api/v1/passes/${p.passId}/extend`, { validTo: null, reason: null }),
      post(`/api/v1/passes/${p.passId}/reinstate`, {}),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.fields).toEqual([expect.objectContaining({ field: 'reason', messageVi: expect.stringContaining('Lý do') })]);
      expect(body.messageVi).toMatch(/^Lý do: cần ghi lý do/);
    }
    const after = (await w.app.inject({ url: `/api/v1/passes/${p.passId}`, headers: w.transport.headers })).json();
    expect(after).toMatchObject({ version: 1, status: 'SUSPENDED', goods: 0 });
    const history = (await w.app.inject({ url: `/api/v1/passes/${p.passId}/history`, headers: w.transport.headers })).json();
    expect(history.map((e: { action: string; reason: string | null }) => [e.action, e.reason])).toEqual([['create', null], ['suspend', 'kiểm tra']]);
  });

  it('finds passes by company, driver name, citizen id or part of a plate', async () => {
    const a = await create({ plate: '61H-126.61', company: 'Công ty Phú Mỹ', crew: [{ citizenId: '079201000001', name: 'Lê Văn Khánh' }] });
    const b = await create({ company: 'HTX Rau Đà Lạt', crew: [{ citizenId: '068301000002', name: 'Phạm Thị Hoa' }] });
    await create();
    const ids = async (q: string) => (await list({ q })).items.map((p) => p.passId);
    expect(await ids('Phú Mỹ')).toEqual([a.passId]);
    expect(await ids('Rau Đà')).toEqual([b.passId]);
    expect(await ids('Văn Khánh')).toEqual([a.passId]);
    expect(await ids('Thị Hoa')).toEqual([b.passId]);
    expect(await ids('068301000002')).toEqual([b.passId]);
    expect(await ids('0683010')).toEqual([b.passId]);
    expect(await ids('61H12661')).toEqual([a.passId]);
    expect(await ids('126.61')).toEqual([a.passId]);
    expect(await ids('%')).toEqual([]);
  });

  it('lists are paged with a total and sorted by the column asked for; expiring soon keeps only passes ending within N days', async () => {
    const now = w.clock();
    const made = [];
    for (const [plate, days] of [['51C-300.01', 10], ['51C-100.01', 2], ['51C-200.01', 5], ['51C-400.01', 30]] as const) {
      made.push(await create({ plate, validFrom: now - DAY, validTo: now + days * DAY }));
    }
    await create({ plate: '51C-500.01', validFrom: now - 3 * DAY, validTo: now - DAY });
    await create({ plate: '51C-600.01', validFrom: now - DAY, validTo: null });

    const first = await list({ sort: 'plate', order: 'asc', limit: '4', offset: '0' });
    const second = await list({ sort: 'plate', order: 'asc', limit: '4', offset: '4' });
    expect(first.total).toBe(6);
    expect(second.total).toBe(6);
    expect([...first.items, ...second.items].map((p) => p.plate)).toEqual(['51C-100.01', '51C-200.01', '51C-300.01', '51C-400.01', '51C-500.01', '51C-600.01']);

    const soon = await list({ expiringDays: '7', sort: 'validTo', order: 'asc' });
    expect(soon.items.map((p) => p.plate)).toEqual(['51C-100.01', '51C-200.01']);
    expect(soon.total).toBe(2);
    const byEnd = await list({ sort: 'validTo', order: 'desc' });
    expect(byEnd.items[0]!.plate).toBe('51C-600.01'); // until further notice sorts last in time
  });

  it('prints the selected sheets in one document, and refuses the run when one is revoked or suspended', async () => {
    const a = await create({ plate: '51C-711.11' });
    const b = await create({ plate: '51C-722.22' });
    const c = await create({ plate: '51C-733.33' });
    const ok = await w.app.inject({ url: '/api/v1/passes/sheets', query: { ids: `${a.passId},${b.passId}` }, headers: w.transport.headers });
    expect(ok.statusCode).toBe(200);
    expect(ok.body.match(/<section class="sheet">/g)).toHaveLength(2);
    expect(ok.body.match(/<svg/g)).toHaveLength(2);
    expect(ok.body).toContain('51C-711.11');
    expect(ok.body).toContain('51C-722.22');

    await post(`/api/v1/passes/${c.passId}/revoke`, { reason: 'sai lộ trình' });
    const refused = await w.app.inject({ url: '/api/v1/passes/sheets', query: { ids: `${a.passId},${c.passId}` }, headers: w.transport.headers });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ passIds: [c.passId], messageVi: `Không in được giấy phép không còn hiệu lực: #${c.passId}` });

    const bad = await w.app.inject({ url: '/api/v1/passes/sheets', query: { ids: 'a,b' }, headers: w.transport.headers });
    expect(bad.statusCode).toBe(400);
    const command = await w.app.inject({ url: '/api/v1/passes/sheets', query: { ids: String(a.passId) }, headers: w.command.headers });
    expect(command.statusCode).toBe(403);

    const log = await w.app.accessLog.list(w.admin, { subjectType: 'pass', limit: 100, offset: 0 });
    expect(log.items.filter((e) => e.action === 'pass.sheet').map((e) => e.subjectId).sort()).toEqual([String(a.passId), String(b.passId)].sort());
  });
});
