import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { simPaths, VirtualScanner } from '../../hardware-sim/virtual-scanner.js';
import { generateSigningKey } from '../../shared/codes/keys.js';
import { signPassCode } from '../../shared/codes/pass-code.js';
import { JOURNAL_WAL_RESERVE } from '../../station/station.js';
import { openStationStore } from '../../station/store/store.js';
import { runStationSync, StationProcess } from './station-process.js';
import { writeStationFiles } from './station-files.js';

const NOW = Date.now();
const authority = createTestAuthority({ now: NOW, checkpointIds: [1] });

let dir: string;
let device: VirtualScanner;
let stations: StationProcess[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'station-process-'));
  device = await VirtualScanner.start({ ...simPaths(dir, 'lane1-in'), suffix: 'cr' });
  stations = [];
});
afterEach(async () => {
  for (const s of stations) {
    s.kill('SIGKILL');
    await s.exited;
  }
  await device.stop();
  rmSync(dir, { recursive: true, force: true });
});

function scannerEntry() {
  return { id: 'lane1-in', path: device.stationPath, lane: 'L1', direction: 'entry', suffix: 'cr', debounceMs: 0 };
}

function start(config: string): StationProcess {
  const s = new StationProcess(['--config', config]);
  stations.push(s);
  return s;
}

describe('npm run station over a socat pty', () => {
  it('explains itself with --help and refuses a bad config naming the field', () => {
    const help = runStationSync(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/npm run station -- --config FILE/);
    const files = writeStationFiles(dir, { ...authority, province: 0 } as typeof authority, [scannerEntry()], [], NOW);
    const bad = runStationSync(['--config', files.config]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^Error: province: /);
  });

  it('seeds, decides scans read from the pty as JSON lines, and stops cleanly on SIGINT (SIGTERM below)', async () => {
    const pass = authority.issuePass();
    const [driver, assistant] = pass.facts.crew.map((c) => authority.issueHealth({ citizenId: c.citizenId, name: c.name }));
    const forged = signPassCode({ ...pass.body, passId: 999 }, authority.keys.transport.kid, generateSigningKey().privateKey);
    const files = writeStationFiles(dir, authority, [scannerEntry()], [pass.facts, driver!.facts, assistant!.facts], NOW);
    const seeded = runStationSync(['seed', '--config', files.config, '--seed', files.seed]);
    expect(seeded.stderr).toMatch(/seed applied/);
    expect(seeded.status).toBe(0);

    const station = start(files.config);
    await station.started();
    for (const code of [pass.code, driver!.code, assistant!.code, forged]) await device.scan(code);
    await station.waitFor(() => station.verdicts().length === 4, 'four verdicts');
    expect(station.verdicts().map((v) => [v.verdict, v.reasons])).toEqual([['ALLOW', []], ['ALLOW', []], ['ALLOW', []], ['DENY', ['BAD_SIGNATURE']]]);
    expect(station.verdicts()[2]).toMatchObject({ lane: 'L1', scannerId: 'lane1-in', crossing: { state: 'closed', closedBy: 'complete', verdict: 'ALLOW' } });

    station.kill('SIGINT');
    expect(await station.exited).toEqual({ code: 0, signal: null });
    expect(station.logs.some((l) => l.message === 'station stopped')).toBe(true);
    // The store was closed: SQLite checkpointed and removed its write-ahead log.
    expect(existsSync(join(dir, 'data', 'station.db-wal'))).toBe(false);
    const store = openStationStore(join(dir, 'data', 'station.db'));
    expect(store.journalSince(0).filter((r) => r.kind === 'scan').map((r) => r.verdict)).toEqual(['ALLOW', 'ALLOW', 'ALLOW', 'DENY']);
    store.close();
  });

  it('SIGKILL mid-stream: after a restart on the same files every printed verdict is in the journal exactly once', async () => {
    const people = Array.from({ length: 300 }, () => authority.issueHealth());
    const files = writeStationFiles(dir, authority, [scannerEntry()], people.map((p) => p.facts), NOW);
    expect(runStationSync(['seed', '--config', files.config, '--seed', files.seed]).status).toBe(0);

    const first = start(files.config);
    await first.started();
    let sent = 0;
    const writer = (async () => {
      while (sent < 250) await device.scan(people[sent++]!.code);
    })();
    await first.waitFor(() => first.verdicts().length >= 60, 'sixty verdicts');
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const printed = first.verdicts();
    expect(printed.length).toBeGreaterThanOrEqual(60);
    expect(sent).toBeGreaterThan(printed.length); // killed mid-stream: scans were still coming
    // the journal's WAL was reserved at start, and these verdicts were committed over its zeros
    expect(statSync(join(dir, 'data', 'station.db-wal')).size).toBe(JOURNAL_WAL_RESERVE);

    // With nobody reading the pty the writer stalls; the restarted station drains what was queued.
    const second = start(files.config);
    await second.started();
    await writer;
    const after = people.slice(250, 255);
    for (const p of after) await device.scan(p.code);
    await second.waitFor(() => after.every((p) => second.verdicts().some((v) => (v.subject as { citizenId: string }).citizenId === p.facts.citizenId)), 'verdicts after the restart');
    second.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.logs.some((l) => l.message === 'station stopped')).toBe(true);

    const store = openStationStore(join(dir, 'data', 'station.db'));
    const journal = store.journalSince(0, 100_000);
    expect(store.verifyChain()).toEqual({ ok: true, records: journal.length });
    store.close();
    const bySeq = new Map(journal.map((r) => [r.seq, r]));
    for (const v of printed) {
      expect(bySeq.get(v.seq as number)).toMatchObject({ hash: v.hash, kind: 'scan', verdict: v.verdict });
      const citizenId = (v.subject as { citizenId: string }).citizenId;
      expect(journal.filter((r) => r.kind === 'scan' && r.citizenId === citizenId)).toHaveLength(1);
    }
  });
});
