/**
 * A station store killed (SIGKILL, by itself) right after a decision's commit, with its WAL reserved
 * (station/store/wal-reserve.ts) and checkpointed half-way, so the later commits write over the
 * earlier frames of the reserved file. Each decision's seq and hash goes to stdout with a synchronous
 * write once its commit returned: the parent checks every printed one is in the journal.
 *   node --import tsx test/station/wal-crash-child.ts <journal file> <decisions> <reserve bytes>
 */
import { writeSync } from 'node:fs';
import { openLinkStore, openStationStore } from '../../station/store/store.js';
import { draft } from './record-draft.js';

const [path, count, reserve] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const store = openStationStore(path, { walAutocheckpoint: 0, walReserveBytes: reserve });
const link = openLinkStore(path);
const say = (line: object) => writeSync(1, `${JSON.stringify(line)}\n`);
for (let i = 1; i <= count; i++) {
  const at = Date.now();
  const [r] = store.appendDecision({
    records: [draft({ at, crossingId: `c-${i}` })],
    presence: [{ key: `pass:79-${i}`, inside: true, at, crossingId: `c-${i}` }],
  });
  say({ seq: r!.seq, hash: r!.hash });
  if (i === Math.floor(count / 2)) say({ checkpoint: link.checkpointJournal() });
}
process.kill(process.pid, 'SIGKILL');
