import type Database from 'better-sqlite3';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import { JOURNAL_RECORD_FIELDS } from '../../shared/journal-record/fields.js';
import { rowDecoder, selectList } from '../../shared/journal-record/sql-lists.js';

type OutboxRow = Record<string, unknown>;
const toRecord = rowDecoder<JournalRecord>(JOURNAL_RECORD_FIELDS);

/**
 * The outbox: journal records above the upload watermark. Reads come from the journal file; the
 * watermark lives in the cache file, which the link writes, so acknowledging a batch never takes the
 * journal's write lock (the deciding thread's) and there is nothing to delete or prune: the
 * watermark only moves up. Either file's connection may be read-only here except the watermark's.
 */
export class Outbox {
  private readonly read: Database.Statement<{ after: number; limit: number }, OutboxRow>;
  private readonly top: Database.Statement<[], number | undefined>;
  private readonly acked: Database.Statement<[], number | undefined>;
  private readonly putAcked: Database.Statement<{ seq: number; at: number }>;
  private readonly rewindTo: Database.Statement<{ seq: number; at: number }>;

  constructor(journalClient: Database.Database, watermarkClient: Database.Database) {
    // Plain SQL: a backlog is read a thousand rows at a time, and drizzle's row mapping costs about as
    // much as the read itself. The record's columns under their wire names, without purged_at.
    this.read = journalClient.prepare(`SELECT ${selectList(JOURNAL_RECORD_FIELDS)} FROM journal WHERE seq > @after ORDER BY seq LIMIT @limit`);
    this.top = journalClient.prepare('SELECT seq FROM journal ORDER BY seq DESC LIMIT 1').pluck() as Database.Statement<[], number | undefined>;
    this.acked = watermarkClient.prepare('SELECT acked_seq FROM upload_state WHERE id = 1').pluck() as Database.Statement<[], number | undefined>;
    // max(): an old acknowledgement arriving late never moves the watermark back.
    this.putAcked = watermarkClient.prepare(
      `INSERT INTO upload_state (id, acked_seq, acked_at) VALUES (1, @seq, @at)
       ON CONFLICT(id) DO UPDATE SET acked_seq = max(acked_seq, excluded.acked_seq), acked_at = excluded.acked_at`,
    );
    this.rewindTo = watermarkClient.prepare('UPDATE upload_state SET acked_seq = @seq, acked_at = @at WHERE id = 1 AND acked_seq > @seq');
  }

  /** The highest seq the server holds with every record before it (0 when nothing was acknowledged). */
  ackedSeq(): number {
    return this.acked.get() ?? 0;
  }

  lastSeq(): number {
    return this.top.get() ?? 0;
  }

  /** The oldest unacknowledged records with a seq above `afterSeq`, in seq order. */
  batch(limit: number, afterSeq = 0): JournalRecord[] {
    const after = Math.max(afterSeq, this.ackedSeq());
    const rows = this.read.all({ after, limit });
    // In place: a spread copy of each 22-field row (a dictionary-mode object) cost more than reading it.
    for (let i = 0; i < rows.length; i++) toRecord(rows[i]!);
    return rows as unknown as JournalRecord[];
  }

  /** The server holds every record up to `uptoSeq`: move the watermark. Returns how many records left the outbox. */
  ack(uptoSeq: number, at = Date.now()): number {
    const before = this.ackedSeq();
    const upto = Math.min(uptoSeq, this.lastSeq());
    if (upto <= before) return 0;
    this.putAcked.run({ seq: upto, at });
    return upto - before;
  }

  /**
   * The server no longer holds the records above `toSeq` that it had acknowledged (it failed over to a
   * standby that lagged behind): move the watermark back so they are read from the journal and sent
   * again. Returns how many records re-entered the outbox.
   */
  rewind(toSeq: number, at = Date.now()): number {
    const before = this.ackedSeq();
    const to = Math.max(0, toSeq);
    if (to >= before) return 0;
    this.rewindTo.run({ seq: to, at });
    return before - to;
  }

  /** Records not yet acknowledged; `lastSeq` may be passed by a caller that knows it (the journal's writer). */
  backlog(lastSeq = this.lastSeq()): number {
    return Math.max(0, lastSeq - this.ackedSeq());
  }
}
