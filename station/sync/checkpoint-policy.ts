/**
 * When the link worker checkpoints the journal file's WAL. Seldom, because a checkpoint that empties
 * the WAL makes the deciding thread's next commit restart it: SQLite writes and fsyncs the WAL header
 * before the commit's own fsync, two fsyncs for that one decision. After `everyCommits` commits
 * (1,000: about 17 MB of WAL, within the 32 MiB the station reserves for it) or `everyMs` with any
 * commit (a quiet lane's WAL stays small), so that under 0.1% of decisions pay it at peak, instead of
 * one a second (a quarter of them at four scans a second).
 */
export interface CheckpointPolicy {
  everyCommits: number;
  everyMs: number;
}

export function checkpointDue(p: CheckpointPolicy, s: { commitsSince: number; msSince: number; walWritten: boolean }): boolean {
  if (!s.walWritten) return false;
  return s.commitsSince >= p.everyCommits || s.msSince >= p.everyMs;
}

/** What a PASSIVE checkpoint reports: the WAL's frames, and how many of them are now in the database file. */
export interface CheckpointResult {
  walFrames: number;
  checkpointed: number;
}

/**
 * The link worker's checkpoints of the journal file, by the policy above, and until the WAL starts
 * over. SQLite writes the WAL again from its start only when a writer begins with every frame already
 * in the database file. A decision that begins while the checkpoint runs (on the other thread) reads
 * through the WAL and commits frames after those copied, and then every later commit appends, past
 * the station's reserved WAL (store/wal-reserve.ts), until some checkpoint happens to finish with no
 * decision begun meanwhile. test/bench/wal-restart.ts (a decision every 2 ms, a checkpoint per 1,000)
 * saw the WAL at 63 MB and growing after 3,500 decisions. So after a checkpoint of a WAL that has
 * grown (RESTART_WATCH_FRAMES), each poll that saw new commits checkpoints again (only the frames
 * since: a few, quickly, so seldom overlapping a decision) until the WAL's frame count falls below
 * what it was at the checkpoint, which only a start-over does; the same bench then kept the WAL at
 * its reserved 33.6 MB. (A small WAL is left to the next checkpoint: watched, its count could not
 * tell a start-over from a few commits after one.)
 */
export const RESTART_WATCH_FRAMES = 1000;

export class JournalCheckpointer {
  private commitsAt: number;
  private lastAt = -Infinity;
  private written = true; // a WAL left by the last run
  /** after a checkpoint, until the WAL starts over: its frames then, and the commits last seen */
  private restart: { frames: number; commits: number } | null = null;

  constructor(private readonly policy: CheckpointPolicy, private readonly run: () => CheckpointResult, commits: number) {
    this.commitsAt = commits;
  }

  /** the WAL is not yet known to have started over since the last checkpoint */
  get restartPending(): boolean {
    return this.restart !== null;
  }

  /** One poll: `commits` is the deciding thread's commit count, `now` in ms. Returns whether it checkpointed. */
  tick(commits: number, now: number): boolean {
    if (commits !== this.commitsAt) this.written = true;
    if (checkpointDue(this.policy, { commitsSince: commits - this.commitsAt, msSince: now - this.lastAt, walWritten: this.written })) {
      this.lastAt = now;
      this.commitsAt = commits;
      this.written = false;
      const r = this.run();
      this.restart = r.walFrames >= RESTART_WATCH_FRAMES ? { frames: r.walFrames, commits } : null;
      return true;
    }
    if (!this.restart || commits === this.restart.commits) return false;
    const r = this.run();
    // fewer frames than at the checkpoint: a commit found the WAL copied whole and started it over
    if (r.walFrames < this.restart.frames) this.restart = null;
    else this.restart.commits = commits;
    return true;
  }
}
