import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalChain } from '../server/journal-fixtures.js';
import { makeTestApp, registerStation, userWithRole, type TestCaller, sqlScalar } from '../server/helpers.js';

/**
 * Hostile text in every free-text field a person or a station can write: stored verbatim (read back
 * through the API equal), and escaped where the server renders HTML (the A4 pass sheet). The web
 * app writes text with textContent; the server's JSON answers are nosniff.
 */
const HOSTILE = [
  "Robert'); DROP TABLE passes;--",
  "' OR '1'='1' /*",
  '<script>alert(document.cookie)</script>',
  '"><img src=x onerror=alert(1)>',
  "</textarea><svg onload=alert('x')>",
  '{{constructor.constructor("alert(1)")()}} ${7*7}',
  'Công ty \u202eTNHH\u202c Vận tải \u200f\u200e', // RTL override and marks
  'Nguy\u200bễn\u2060 Văn\u200d A', // zero-width space, word joiner, ZWJ
  'Tra\u0300\u0300\u0300n Thi\u0323\u0302 Ng\u0336\u0336oc', // stacked combining marks
  'Lái xe 🚚 👨‍👩‍👧‍👦 🇻🇳 ✅', // astral, ZWJ sequence, flag
  'line\r\nbreak\ttab',
  '=cmd|"/c calc"!A1',
  '%3Cscript%3E &lt;b&gt; &amp;',
];

/** How the sheet escapes: the five HTML specials as numeric references. */
const escaped = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

let app: FastifyInstance;
let admin: TestCaller;
let transport: TestCaller;
let health: TestCaller;
let command: TestCaller;

beforeAll(async () => {
  app = await makeTestApp({ env: { LOGIN_RATE_LIMIT: '10000' } });
  [admin, transport, health, command] = await Promise.all([
    userWithRole(app, 'admin', 79), userWithRole(app, 'transport', 79), userWithRole(app, 'health', 79), userWithRole(app, 'command', 79),
  ]);
});
afterAll(async () => app?.close());

const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, who: TestCaller, payload?: unknown) => {
  const res = await app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return res;
};

let n = 0;
const passBody = (over: Record<string, unknown>) => {
  n++;
  return {
    plate: `51C-${String(100 + n).padStart(3, '0')}.45`, company: 'Công ty A', goods: 0,
    crew: [{ citizenId: `0790000${String(n).padStart(5, '0')}`, name: 'Nguyễn Văn A' }],
    originZone: '79-760', destinationZone: '01', routeCheckpoints: [1], routeProvinces: [1], validTo: Date.now() + 86_400_000, ...over,
  };
};

describe('hostile text is stored verbatim and rendered escaped', () => {
  it('passes: company, crew names, permitted stops, revoke reason; the A4 sheet escapes every one', async () => {
    for (const text of HOSTILE) {
      const created = await call('POST', '/api/v1/passes', transport, passBody({
        company: text, permittedStops: `${text} / Chợ Bình Điền`,
        crew: [{ citizenId: `0791${String(++n).padStart(8, '0')}`, name: text }, { citizenId: `0792${String(n).padStart(8, '0')}`, name: `Phụ ${text}` }],
      }));
      expect(created.statusCode, `${JSON.stringify(text)}: ${created.body}`).toBe(201);
      const { passId } = created.json() as { passId: number };
      const read = (await call('GET', `/api/v1/passes/${passId}`, command)).json() as { company: string; permittedStops: string; crew: { name: string }[] };
      expect(read.company).toBe(text);
      expect(read.permittedStops).toBe(`${text} / Chợ Bình Điền`);
      expect(read.crew.map((c) => c.name)).toEqual([text, `Phụ ${text}`]);

      const sheet = await call('GET', `/api/v1/passes/${passId}/sheet`, transport);
      expect(sheet.statusCode).toBe(200);
      expect(sheet.headers['content-type']).toContain('text/html');
      expect(sheet.headers['content-security-policy']).toMatch(/script-src 'self'/);
      const html = sheet.body;
      if (/[<>"'&]/.test(text)) expect(html, JSON.stringify(text)).not.toContain(text);
      expect(html).toContain(escaped(text));
      expect(html).not.toMatch(/<script>alert|<img src=x|<svg onload/);

      const revoked = await call('POST', `/api/v1/passes/${passId}/revoke`, transport, { reason: text });
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect((revoked.json() as { statusReason: string }).statusReason).toBe(text);
      const history = (await call('GET', `/api/v1/passes/${passId}/history`, command)).json() as unknown;
      expect(JSON.stringify(history)).toContain(JSON.stringify(text).slice(1, -1));
    }
  });

  it('texts exactly at their limit are kept; one character over is a 400 naming the field, and nothing is stored', async () => {
    // (the pass service counts UTF-16 units, the route schemas code points: an emoji counts twice in a pass)
    const atLimit = 'Ậ'.repeat(199) + 'ễ';
    const ok = await call('POST', '/api/v1/passes', transport, passBody({ company: atLimit, permittedStops: 'Ậ'.repeat(1000) }));
    expect(ok.statusCode, ok.body).toBe(201);
    const read = (await call('GET', `/api/v1/passes/${(ok.json() as { passId: number }).passId}`, transport)).json() as { company: string; permittedStops: string };
    expect(read.company).toBe(atLimit);
    expect(read.permittedStops).toBe('Ậ'.repeat(1000));
    const before = (await sqlScalar(app, 'SELECT count(*) FROM passes'));
    for (const [field, value] of [['company', 'x'.repeat(201)], ['permittedStops', 'x'.repeat(1001)], ['company', 'x'.repeat(100_000)]] as const) {
      const res = await call('POST', '/api/v1/passes', transport, passBody({ [field]: value }));
      expect(res.statusCode).toBe(400);
      // the field by its path for programs, by its Vietnamese name for people
      const body = res.json() as { fields: { field: string; messageVi: string }[] };
      expect(body.fields[0]!.field).toContain(field);
      expect(body.fields[0]!.messageVi).toMatch(/^(Doanh nghiệp|Điểm xếp dỡ): không quá \d+ ký tự$/);
    }
    const longName = await call('POST', '/api/v1/passes', transport, passBody({ crew: [{ citizenId: '079999999999', name: 'N'.repeat(121) }] }));
    expect(longName.statusCode).toBe(400);
    expect((await sqlScalar(app, 'SELECT count(*) FROM passes'))).toBe(before);
    const longReason = await call('POST', `/api/v1/passes/${(ok.json() as { passId: number }).passId}/revoke`, transport, { reason: 'r'.repeat(501) });
    expect(longReason.statusCode).toBe(400);
  });

  it('text that cannot be stored as sent (a lone surrogate, or a NUL PostgreSQL cannot hold) is refused with a 400 naming the field, not silently changed, on either engine', async () => {
    const before = (await sqlScalar(app, 'SELECT count(*) FROM passes'));
    for (const [body, field] of [
      [passBody({ company: 'Công ty \ud800' }), '/company'],
      [passBody({ crew: [{ citizenId: '079888000001', name: 'x\udc00y' }] }), '/crew/0/name'],
      [passBody({ permittedStops: '\udc00\ud800' }), '/permittedStops'],
      [passBody({ company: 'nul\u0000inside' }), '/company'],
      [passBody({ crew: [{ citizenId: '079888000002', name: 'Nguyễn\u0000A' }] }), '/crew/0/name'],
    ] as const) {
      const res = await call('POST', '/api/v1/passes', transport, body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ field, message: expect.stringContaining('well-formed'), messageVi: expect.any(String) });
    }
    expect((await sqlScalar(app, 'SELECT count(*) FROM passes'))).toBe(before);
    const named = await call('POST', '/api/v1/users', admin, { username: 'nul-name', password: 'correct horse battery', role: 'command', province: 79, displayName: 'a\u0000b' });
    expect(named.statusCode).toBe(400);
    expect(named.json()).toMatchObject({ field: '/displayName', messageVi: expect.stringContaining('NUL') });
    const q = await app.inject({ url: `/api/v1/passes?plate=${encodeURIComponent('51C')}%ED%A0%80`, headers: transport.headers });
    expect(q.statusCode).toBeLessThan(500);
    // a well-formed astral character (a surrogate pair) is fine
    expect((await call('POST', '/api/v1/passes', transport, passBody({ company: 'Xe 🚚' }))).statusCode).toBe(201);
  });

  it('users (display name) and stations (name)', async () => {
    // scrypt runs on the libuv pool: create the users in parallel
    const created = await Promise.all(HOSTILE.map((text, i) =>
      call('POST', '/api/v1/users', admin, { username: `hostile-${i}`, password: 'correct horse battery', displayName: text, role: 'officer', province: 79 })));
    for (const [i, text] of HOSTILE.entries()) {
      expect(created[i]!.statusCode, created[i]!.body).toBe(201);
      const listed = (await call('GET', '/api/v1/users', admin)).json() as { items?: { username: string; displayName: string }[] } | { username: string; displayName: string }[];
      const users = Array.isArray(listed) ? listed : listed.items ?? [];
      expect(users.find((x) => x.username === `hostile-${i}`)?.displayName).toBe(text);

      const st = await call('POST', '/api/v1/stations', admin, { stationId: `chot-h${i}`, checkpointId: 100 + i, name: text, province: 79, lanes: [{ id: 'L1', direction: 'entry' }] });
      expect(st.statusCode, st.body).toBe(201);
      const station = (await call('GET', `/api/v1/stations/chot-h${i}`, command)).json() as { name?: string; station?: { name: string } };
      expect(station.name ?? station.station?.name).toBe(text);
    }
    const over = await call('POST', '/api/v1/users', admin, { username: 'over', password: 'correct horse battery', displayName: 'x'.repeat(121), role: 'officer', province: 79 });
    expect(over.statusCode).toBe(400);
  });

  it('health imports (names, JSON and CSV) read back the same, trimmed of surrounding spaces as every import cell is', async () => {
    const rows = HOSTILE.map((text, i) => ({ citizenId: `0795${String(i).padStart(8, '0')}`, name: text, declaredAt: '2021-09-01T07:00:00+07:00', originZone: '79-760' }));
    const json = await call('POST', '/api/v1/health/import/declarations', health, rows);
    expect(json.statusCode, json.body).toBe(201);
    for (const r of rows) {
      const p = (await call('GET', `/api/v1/people/${r.citizenId}`, command)).json() as { name: string };
      expect(p.name, JSON.stringify(r.name)).toBe(r.name.trim());
    }
    // CSV: quoted cells carry commas, quotes and line breaks
    const text = '"Lê", <b>Văn</b>\r\n\'A\' 🚚';
    const csv = `citizenId,name,declaredAt,originZone\n079600000001,"${text.replace(/"/g, '""')}",2021-09-01 07:00,79-760\n`;
    const res = await app.inject({ method: 'POST', url: '/api/v1/health/import/declarations', headers: { ...health.headers, 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode, res.body).toBe(201);
    expect(((await call('GET', '/api/v1/people/079600000001', command)).json() as { name: string }).name).toBe(text);
  });

  it('override notes in journal records from a station come back from the audit search as sent', async () => {
    const st = await registerStation(app, admin, { stationId: 'chot-notes', checkpointId: 900 });
    const records = journalChain(st.stationId, HOSTILE.length, (seq) => ({ kind: 'override', officer: 'officer-7', note: HOSTILE[seq - 1]!, passId: 4242, plate: '29A-999.99' }));
    const up = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: st.stationId, records } });
    expect(up.json()).toMatchObject({ ackedSeq: HOSTILE.length, rejected: [], chainBreaks: [] });
    const found = (await call('GET', '/api/v1/crossings?passId=4242&limit=100', command)).json() as { items: { seq: number; note: string }[] };
    expect(found.items.map((r) => [r.seq, r.note]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(HOSTILE.map((t, i) => [i + 1, t]));
    // a note over the contract's 1000 characters is a rejected record, reported with its index, never truncated
    const long = journalChain('chot-notes', HOSTILE.length + 1, (seq) => ({ kind: 'override', officer: 'officer-7', note: seq > HOSTILE.length ? 'n'.repeat(1001) : HOSTILE[seq - 1]!, passId: 4242, plate: '29A-999.99' }));
    const res = (await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: st.stationId, records: long.slice(-1) } })).json() as { rejected: { index: number; message: string }[] };
    expect(res.rejected).toEqual([expect.objectContaining({ index: 0, message: expect.stringContaining('note') })]);
  });
});
