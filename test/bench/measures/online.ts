import type { Scan } from '../lib/dataset.js';
import { summarize, type Summary } from '../lib/stats.js';
import type { StationCredential } from './server-load.js';

export interface OnlineLaneClient {
  /** one scan decided at the centre; resolves with the attempts it took, rejects when it gave up */
  check(scan: Scan, deadlineMs: number): Promise<number>;
}

/** The 2021 way: the lane's device posts each scan to the central server and waits for its answer. */
export function onlineClient(baseUrl: string, cred: StationCredential, checkpointId: number, lane: string): OnlineLaneClient {
  const headers = { authorization: `Station ${cred.stationId}:${cred.secret}`, 'content-type': 'application/json' };
  return {
    async check(scan, deadlineMs) {
      const end = performance.now() + deadlineMs;
      const body = JSON.stringify({ code: scan.code, checkpointId, lane, direction: 'entry' });
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await fetch(`${baseUrl}/api/v1/online/check`, { method: 'POST', headers, body, signal: AbortSignal.timeout(Math.max(1, Math.ceil(end - performance.now()))) });
          const text = await res.text();
          if (res.status === 200) return attempt;
          if (res.status < 500) throw new Error(`online check: HTTP ${res.status}: ${text.slice(0, 200)}`);
        } catch (err) {
          if ((err as Error).message.startsWith('online check:')) throw err;
          // a reset connection or a timeout: the device tries again while the officer waits
        }
        if (performance.now() >= end) throw new Error('gave up');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/**
 * Online mode over the WAN proxy: `lanes` lanes at once, each posting its vehicles' scans one after
 * the other; every scan timed from its first attempt to its answer, retries included.
 */
export async function measureOnline(clients: OnlineLaneClient[], vehicles: Scan[][], samples: number): Promise<Summary & { retried: number; failed: number }> {
  const times: number[] = [];
  let retried = 0;
  let failed = 0;
  const queues: Scan[][] = clients.map(() => []);
  let n = 0;
  for (let v = 0; n < samples && v < vehicles.length; v++) {
    for (const s of vehicles[v]!) {
      if (n++ >= samples) break;
      queues[v % clients.length]!.push(s);
    }
  }
  await Promise.all(clients.map(async (client, k) => {
    for (const scan of queues[k]!) {
      const t0 = performance.now();
      try {
        const attempts = await client.check(scan, 10_000);
        if (attempts > 1) retried++;
        times.push(performance.now() - t0);
      } catch {
        failed++;
      }
    }
  }));
  return { ...summarize(times), retried, failed };
}

/** During an outage: each lane tries its paced scans; a scan counts as decided if it got an answer within `patienceMs`. */
export async function onlineDuringOutage(clients: OnlineLaneClient[], scans: Scan[], everyMs: number, patienceMs: number): Promise<{ scans: number; decided: number }> {
  let decided = 0;
  const tries: Promise<void>[] = [];
  for (let i = 0; i < scans.length; i++) {
    const client = clients[i % clients.length]!;
    tries.push(client.check(scans[i]!, patienceMs).then(() => void decided++, () => {}));
    await new Promise((r) => setTimeout(r, everyMs));
  }
  await Promise.all(tries);
  return { scans: scans.length, decided };
}
