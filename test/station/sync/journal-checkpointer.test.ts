import { describe, expect, it } from 'vitest';
import { JournalCheckpointer, RESTART_WATCH_FRAMES, type CheckpointResult } from '../../../station/sync/checkpoint-policy.js';

const policy = { everyCommits: 300, everyMs: 300_000 };

describe('the link worker\'s journal checkpoints, until the WAL starts over', () => {
  it('checkpoints again on polls that saw commits, until the WAL\'s frame count falls; a small WAL is not watched', () => {
    const results: CheckpointResult[] = [];
    const calls: number[] = [];
    const c = new JournalCheckpointer(policy, () => {
      calls.push(calls.length);
      return results.shift()!;
    }, 0);
    results.push({ walFrames: 3, checkpointed: 3 }); // at start: the last run's small WAL
    expect(c.tick(0, 0)).toBe(true);
    expect(c.restartPending).toBe(false);
    expect(c.tick(5, 50)).toBe(false);

    results.push({ walFrames: RESTART_WATCH_FRAMES + 200, checkpointed: RESTART_WATCH_FRAMES + 190 });
    expect(c.tick(300, 100)).toBe(true);
    expect(c.restartPending).toBe(true);
    expect(c.tick(300, 150)).toBe(false); // no commit since: nothing to try
    results.push({ walFrames: RESTART_WATCH_FRAMES + 230, checkpointed: RESTART_WATCH_FRAMES + 230 });
    expect(c.tick(305, 200)).toBe(true); // still growing: not started over
    expect(c.restartPending).toBe(true);
    results.push({ walFrames: 16, checkpointed: 16 });
    expect(c.tick(309, 250)).toBe(true); // started over
    expect(c.restartPending).toBe(false);
    expect(c.tick(312, 300)).toBe(false);
    expect(calls).toHaveLength(4);
  });
});
