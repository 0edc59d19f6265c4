import { describe, expect, it } from 'vitest';
import { checkpointDue } from '../../../station/sync/checkpoint-policy.js';

const policy = { everyCommits: 1000, everyMs: 300_000 };

describe('the journal checkpoint policy', () => {
  it('waits for 1,000 commits at peak rather than checkpointing every second', () => {
    expect(checkpointDue(policy, { commitsSince: 999, msSince: 5_000, walWritten: true })).toBe(false);
    expect(checkpointDue(policy, { commitsSince: 1000, msSince: 5_000, walWritten: true })).toBe(true);
  });

  it('checkpoints a quiet lane\'s WAL after the time bound, and an untouched WAL never', () => {
    expect(checkpointDue(policy, { commitsSince: 4, msSince: 299_999, walWritten: true })).toBe(false);
    expect(checkpointDue(policy, { commitsSince: 4, msSince: 300_000, walWritten: true })).toBe(true);
    expect(checkpointDue(policy, { commitsSince: 0, msSince: 1e9, walWritten: false })).toBe(false);
  });

  it('checkpoints the WAL a previous run left, at start', () => {
    expect(checkpointDue(policy, { commitsSince: 0, msSince: Infinity, walWritten: true })).toBe(true);
  });
});
