/**
 * The link's worker thread: sync (snapshot staging, delta apply), upload (batch reads, acks) and
 * heartbeats, on its own SQLite connections, so their database work and their garbage never run on
 * the thread that decides scans. The station's thread starts it (worker-link.ts) and talks to it by
 * messages (link-messages.ts); everything else they share goes through the store's files.
 */
import { createPublicKey } from 'node:crypto';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ServerApi } from '../net/server-api.js';
import { openLinkStore } from '../store/store.js';
import { JournalCheckpointer } from './checkpoint-policy.js';
import { StationLink } from './link.js';
import { fromWireError, type ApiMethod, type FromWorker, type LinkWorkerData, type ToWorker } from './link-messages.js';

const data = workerData as LinkWorkerData;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

// This thread yields the CPU to the deciding thread: on Linux a thread's nice value is its own
// (setpriority on the calling thread), so only the link runs at the lower priority. Unprivileged
// users may raise it; failing to is not a reason to stop the link.
try {
  setPriority(data.niceness);
} catch (err) {
  post({ type: 'log', level: 'warn', message: 'could not lower the link thread\'s priority', fields: { error: String(err) } });
}

/** A ServerApi whose calls the station's thread makes (it holds a ready ServerApi object). */
function proxiedApi(): { api: ServerApi; settle: (m: Extract<ToWorker, { type: 'apiResult' }>) => void } {
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const call = (method: ApiMethod) => (...args: unknown[]) => new Promise<never>((resolve, reject) => {
    const id = ++next;
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    post({ type: 'api', id, method, args });
  });
  return {
    api: { snapshotPage: call('snapshotPage'), changes: call('changes'), upload: call('upload'), heartbeat: call('heartbeat') },
    settle: (m) => {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.ok) w?.resolve(m.value);
      else w?.reject(fromWireError(m.error));
    },
  };
}

const store = openLinkStore(data.storePath, { cachePath: data.cachePath });
let scanners = data.scanners;
const proxy = 'proxy' in data.server ? proxiedApi() : null;
const link = new StationLink({
  stationId: data.stationId,
  rootKey: createPublicKey({ key: data.rootKeyJwk, format: 'jwk' }),
  store,
  scannerStates: () => scanners,
  server: proxy ? { api: proxy.api } : (data.server as { url: string; credential: string }),
  log: (level, message, fields) => post({ type: 'log', level, message, ...(fields ? { fields } : {}) }),
  ...data.tuning,
});

// Status goes to the station's thread when it changes (the cache's age is worked out there).
let lastStatus = '';
const publish = () => {
  const status = link.status();
  const key = JSON.stringify({ ...status, cacheAgeMs: null });
  if (key === lastStatus) return;
  lastStatus = key;
  post({ type: 'status', status });
};
const statusTimer = setInterval(publish, 250);

/**
 * The journal's WAL is checkpointed here, never by a decision's commit (the deciding thread's
 * wal_autocheckpoint is 0), seldom, and again until the WAL starts over (checkpoint-policy.ts).
 *
 * New journal records: the deciding thread counts its commits in shared memory (worker-link.ts) and
 * this thread looks every JOURNAL_POLL_MS. (Atomics.waitAsync would wake it at once, but in Node 20
 * a wait is not woken by another thread's notify; the uploader batches for a second anyway.)
 */
const JOURNAL_POLL_MS = 50;
const signal = data.journalSignal;
let seenCommits = Atomics.load(signal, 0);
const checkpointer = new JournalCheckpointer({ everyCommits: data.checkpointEveryCommits, everyMs: data.checkpointEveryMs }, () => store.checkpointJournal(), seenCommits);
const journalTimer = setInterval(() => {
  const commits = Atomics.load(signal, 0);
  if (commits !== seenCommits) {
    seenCommits = commits;
    link.notifyJournal();
  }
  try {
    checkpointer.tick(commits, performance.now());
  } catch (err) {
    post({ type: 'log', level: 'warn', message: 'journal checkpoint failed', fields: { error: String(err) } });
  }
}, JOURNAL_POLL_MS);

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'scanners':
      scanners = m.states;
      break;
    case 'syncNow':
      void link.syncNow().then(() => post({ type: 'syncDone', id: m.id, status: link.status() }));
      break;
    case 'apiResult':
      proxy?.settle(m);
      break;
    case 'stop':
      clearInterval(journalTimer);
      clearInterval(statusTimer);
      void link.stop().then(() => {
        store.checkpointJournal();
        store.close();
        post({ type: 'stopped' });
        port.close();
      });
      break;
  }
});

link.start();
publish();
