import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, passInput, type World } from './fixtures.js';

describe('finding a pass by part of its plate', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.app.close());

  it('"61H12661", "126.61" and "61h-126" find 61H-126.61; another plate is not found', async () => {
    for (const plate of ['61H-126.61', '61H-999.99']) {
      const res = await w.app.inject({ method: 'POST', url: '/api/v1/passes', headers: w.transport.headers, payload: passInput({ plate }) });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const q of ['61H12661', '126.61', '61h-126']) {
      const res = await w.app.inject({ url: `/api/v1/passes?plate=${encodeURIComponent(q)}`, headers: w.transport.headers });
      expect((res.json() as { items: { plate: string }[] }).items.map((p) => p.plate), q).toEqual(['61H-126.61']);
    }
  });
});

describe('the printed pass sheet', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.app.close());

  const issue = async (over: Record<string, unknown> = {}) =>
    (await w.app.inject({ method: 'POST', url: '/api/v1/passes', headers: w.transport.headers, payload: passInput(over) })).json() as { passId: number; plate: string; crew: { citizenId: string; phone: string | null }[] };
  const sheet = async (passId: number) => (await w.app.inject({ url: `/api/v1/passes/${passId}/sheet`, headers: w.transport.headers })).body;

  it('names the issuer and places, shows the expiry large beside the plate, and masks citizen ids and phones', async () => {
    const pass = await issue({ validTo: Date.parse('2026-12-07T18:00:00+07:00') });
    const html = await sheet(pass.passId);
    expect(html).toContain('Sở Giao thông vận tải Thành phố Hồ Chí Minh');
    expect(html).toContain('Quận 1, Thành phố Hồ Chí Minh');
    expect(html).toContain('<div class="expiry">Hết hạn 07/12/2026 18:00');
    for (const c of pass.crew) {
      expect(html).not.toContain(c.citizenId);
      expect(html).toContain(`••••••••${c.citizenId.slice(-4)}`);
      if (c.phone) expect(html).not.toContain(c.phone);
    }
    expect(html).toContain('<svg');
  });

  it('a revoked or suspended pass cannot be printed as valid: no QR, marked not valid', async () => {
    for (const action of ['revoke', 'suspend'] as const) {
      const pass = await issue();
      const res = await w.app.inject({ method: 'POST', url: `/api/v1/passes/${pass.passId}/${action}`, headers: w.transport.headers, payload: { reason: 'Kiểm tra phát hiện sai phạm' } });
      expect(res.statusCode, res.body).toBe(200);
      const html = await sheet(pass.passId);
      expect(html).not.toContain('<svg');
      expect(html).toContain('KHÔNG CÓ GIÁ TRỊ / NOT VALID');
      expect(html).toContain(action === 'revoke' ? 'ĐÃ THU HỒI' : 'TẠM DỪNG');
    }
  });
});
