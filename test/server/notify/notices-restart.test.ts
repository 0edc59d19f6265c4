import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, testClock, userWithRole } from '../helpers.js';

describe('notices survive a restart', () => {
  let dir: string | null = null;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });

  it('a notice kept before a restart is still listed after it, with its seq; the same notice published again is kept once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'notices-'));
    const env = { DB_FILE: join(dir, 'server.db') };
    const clock = testClock(Date.parse('2026-12-01T00:05:00+07:00'));
    const first = await makeTestApp({ clock, env });
    const command = await userWithRole(first, 'command', 79);
    await first.notify.publish([await first.reports.notice(79, '2026-11-30')]);
    const before = (await first.inject({ url: '/api/v1/notifications?after=0', headers: command.headers })).json() as { items: { seq: number; key: string }[]; last: number };
    expect(before.items.map((n) => n.key)).toEqual(['daily-report:79:2026-11-30']);
    // the same database again: the file on SQLite, the same PostgreSQL database when the suite runs there
    const same = first.config.databaseUrl ? { ...env, DATABASE_URL: first.config.databaseUrl } : env;
    await first.close();

    const second = await makeTestApp({ clock, env: same });
    try {
      const again = await userWithRole(second, 'command', 79);
      const after = (await second.inject({ url: '/api/v1/notifications?after=0', headers: again.headers })).json() as { items: { seq: number; key: string; messageVi: string }[]; last: number };
      expect(after.items).toEqual([expect.objectContaining({ seq: before.items[0]!.seq, key: 'daily-report:79:2026-11-30', messageVi: expect.stringContaining('Báo cáo ngày 30/11/2026') })]);
      expect(after.last).toBe(before.last);
      await second.notify.publish([await second.reports.notice(79, '2026-11-30'), await second.reports.notice(79, '2026-12-01')]);
      const later = (await second.inject({ url: `/api/v1/notifications?after=${after.last}`, headers: again.headers })).json() as { items: { key: string }[] };
      expect(later.items.map((n) => n.key)).toEqual(['daily-report:79:2026-12-01']);
    } finally {
      await second.close();
    }
  });
});
