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
