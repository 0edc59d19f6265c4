import type Database from 'better-sqlite3';
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import { JOURNAL_RECORD_FIELDS, PERSONAL_COLUMNS } from '../../shared/journal-record/fields.js';
import { columnList, encodeInto, placeholders } from '../../shared/journal-record/sql-lists.js';
import { GENESIS_HASH, journalHash, sealNext, type ChainCheck } from '../../shared/journal/hash-chain.js';
import type { Crossing } from '../../shared/rules/crossing.js';
import type { Db } from './cache.js';
import { rowToRecord } from './rows.js';
import { journal, openCrossings } from './schema.js';

/** A journal record before the store gives it its seq and seals it into the chain. */
export type RecordDraft = Omit<JournalRecord, 'seq' | 'prevHash' | 'hash'>;

export interface PresenceWrite {
  /** `pass:<province>-<passId>` or `person:<citizenId>` (see presenceKey) */
  key: string;
  inside: boolean;
  at: number;
  crossingId: string | null;
}

/** Everything one decision changes, written in one transaction. */
export interface DecisionWrite {
  /** in journal order */
  records: RecordDraft[];
  presence?: PresenceWrite[];
  /** the lane's open crossing after the decision; `crossing: null` clears it */
  crossings?: { lane: string; crossing: Crossing | null }[];
}

const PAGE = 5_000;

const ANY_SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The record's free-text fields; the rest are numbers, enums, ids and hashes of a fixed alphabet. */
const TEXT_FIELDS = ['stationId', 'lane', 'scannerId', 'crossingId', 'plate', 'citizenId', 'officer', 'note'] as const;

/**
 * A lone surrogate (say in an officer's note) cannot be stored as UTF-8: SQLite would read back
 * replacement characters, and the record would no longer match the hash sealed over it, a false
 * "tampered" at the station and a chain break at the server. Replace each with U+FFFD before sealing,
 * so the hash covers exactly what is stored. A NUL (U+0000) likewise: PostgreSQL's text cannot hold
 * one, so the central server refuses a record carrying it. (Allocates nothing when there is none:
 * every scan passes here.)
 */
function wellFormed(draft: RecordDraft): RecordDraft {
  let out: RecordDraft | null = null;
  for (const k of TEXT_FIELDS) {
    const v = draft[k];
    if (typeof v !== 'string') continue;
    if (ANY_SURROGATE.test(v)) (out ??= { ...draft })[k] = v.replace(LONE_SURROGATE, '\uFFFD');
    if (v.includes('\u0000')) (out ??= { ...draft })[k] = (out[k] as string).replace(NUL, '\uFFFD');
  }
  return out ?? draft;
}
const NUL = /\u0000/g;
const DAY = 86_400_000;

/**
 * The journal (a hash chain, one per station), who is inside, and the crossing open on each lane: the
 * journal file, written by the deciding thread alone. What the server has acknowledged is a watermark
 * the link keeps in its own file (outbox.ts).
 */
export class Journal {
  private readonly q;
  private readonly purgeChunk: Database.Statement<{ now: number; cutoff: number; limit: number; acked: number }>;
  /** the journal insert's parameters, in the record's field order, refilled for each record */
  private readonly insertValues: unknown[] = new Array(JOURNAL_RECORD_FIELDS.length);
  private last: { seq: number; hash: string };

  constructor(private readonly db: Db, private readonly client: Database.Database) {
    const p = sql.placeholder;
    // The hot statements in plain SQL, bound by position, in explicit transactions: drizzle's
    // per-call mapping and better-sqlite3's transaction wrapper cost allocations on every scan.
    this.q = {
      // purged_at is left out: NULL until retention clears the row
      insert: client.prepare(`INSERT INTO journal (${columnList(JOURNAL_RECORD_FIELDS)}) VALUES (${placeholders(JOURNAL_RECORD_FIELDS)})`),
      begin: client.prepare('BEGIN IMMEDIATE'),
      commit: client.prepare('COMMIT'),
      rollback: client.prepare('ROLLBACK'),
      since: db.select().from(journal).where(gt(journal.seq, p('seq'))).orderBy(asc(journal.seq)).limit(p('limit')).prepare(),
      inside: client.prepare('SELECT 1 FROM presence WHERE key = ?').pluck(),
      enter: client.prepare('INSERT INTO presence (key, since, crossing_id) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET since = excluded.since, crossing_id = excluded.crossing_id'),
      leave: client.prepare('DELETE FROM presence WHERE key = ?'),
      setCrossing: client.prepare('INSERT INTO open_crossings (lane, state, closes_at) VALUES (?, ?, ?) ON CONFLICT(lane) DO UPDATE SET state = excluded.state, closes_at = excluded.closes_at'),
      clearCrossing: client.prepare('DELETE FROM open_crossings WHERE lane = ?'),
    };
    // Plain SQL: the partial index journal_unpurged keeps each chunk to the rows not yet purged.
    this.purgeChunk = client.prepare(
      `UPDATE journal SET ${PERSONAL_COLUMNS.map((c) => `${c} = NULL`).join(', ')}, purged_at = @now
       WHERE seq IN (SELECT seq FROM journal WHERE purged_at IS NULL AND at < @cutoff
                     AND seq <= @acked ORDER BY seq LIMIT @limit)`,
    );
    const top = db.select({ seq: journal.seq, hash: journal.hash }).from(journal).orderBy(desc(journal.seq)).limit(1).get();
    this.last = top ?? { seq: 0, hash: GENESIS_HASH };
  }

  lastSeq(): number {
    return this.last.seq;
  }

  isInside(key: string): boolean {
    return this.q.inside.get(key) !== undefined;
  }

  openCrossings(): Crossing[] {
    return this.db.select({ state: openCrossings.state }).from(openCrossings).all().map((r) => JSON.parse(r.state) as Crossing);
  }

  /**
   * Journal rows, presence and open-crossing state for one decision, in one transaction with
   * synchronous=FULL: when this returns, the records survive a crash or power loss.
   */
  appendDecision(w: DecisionWrite): JournalRecord[] {
    const sealed: JournalRecord[] = [];
    let { seq, hash } = this.last;
    const q = this.q;
    q.begin.run();
    try {
      for (const draft of w.records) {
        const record = sealNext(wellFormed(draft), ++seq, hash);
        hash = record.hash;
        this.insert(record);
        sealed.push(record);
      }
      if (w.presence) {
        for (const pr of w.presence) {
          if (pr.inside) q.enter.run(pr.key, pr.at, pr.crossingId);
          else q.leave.run(pr.key);
        }
      }
      if (w.crossings) {
        for (const { lane, crossing } of w.crossings) {
          if (crossing && crossing.state === 'open') q.setCrossing.run(lane, JSON.stringify(crossing), crossing.closesAt);
          else q.clearCrossing.run(lane);
        }
      }
      q.commit.run();
    } catch (err) {
      // Nothing of the decision stays: a failed COMMIT (disk full, I/O error) may leave the transaction open.
      if (this.client.inTransaction) q.rollback.run();
      throw err;
    }
    // Only after the commit: a failed transaction leaves the chain head where it was.
    this.last = { seq, hash };
    return sealed;
  }

  private insert(r: JournalRecord): void {
    encodeInto(JOURNAL_RECORD_FIELDS, this.insertValues, 0, r);
    this.q.insert.run(this.insertValues);
  }

  journalSince(seq: number, limit = 1000): JournalRecord[] {
    return this.q.since.all({ seq, limit }).map(rowToRecord);
  }

  /**
   * Clear the personal fields of records older than `retentionDays` (by `now`, the station clock) that
   * the server has acknowledged (seq ≤ `ackedSeq`, the upload watermark): a record still in the
   * outbox keeps everything until it is uploaded.
   * Chunked, each chunk its own short transaction, so scans are never held up for long; `maxRecords`
   * stops after that many, so a caller can yield to the event loop between calls. Idempotent.
   *
   * A chunk commits without an fsync of its own (synchronous=NORMAL for its transaction): on the
   * deciding thread that fsync was most of a chunk's time, and a purge a power cut undoes is simply
   * done again at the next sweep. The next decision's FULL commit makes it durable with itself.
   */
  purgePersonalData(now: number, retentionDays: number, ackedSeq: number, maxRecords = Infinity): { records: number; cutoff: number } {
    if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError(`retentionDays must be a whole number of days >= 1 (got ${retentionDays})`);
    const cutoff = now - retentionDays * DAY;
    let records = 0;
    const sync = Number(this.client.pragma('synchronous', { simple: true }));
    if (sync > 1) this.client.pragma('synchronous = NORMAL');
    try {
      while (records < maxRecords) {
        const limit = Math.min(PAGE, maxRecords - records);
        const n = this.client.transaction(() => this.purgeChunk.run({ now, cutoff, limit, acked: ackedSeq }).changes).immediate();
        records += n;
        if (n < limit) break;
      }
    } finally {
      if (sync > 1) this.client.pragma(`synchronous = ${sync}`);
    }
    return { records, cutoff };
  }

  /**
   * Walk the whole journal: every record links to the one before and no seq is missing; every record
   * not purged also matches its own hash. A purged record (personal fields cleared by retention, see
   * purgePersonalData) cannot match its hash any more; its links are still checked, and its content
   * was checked by the server when it was acknowledged, before it could be purged.
   */
  verifyChain(): ChainCheck & { records: number } {
    let prev = GENESIS_HASH;
    let expectSeq = 1;
    let records = 0;
    for (;;) {
      const page = this.q.since.all({ seq: expectSeq - 1, limit: PAGE });
      for (const row of page) {
        let r: JournalRecord;
        try {
          r = rowToRecord(row);
        } catch {
          return { ok: false, seq: row.seq, message: 'record is not readable', records };
        }
        if (r.seq !== expectSeq) return { ok: false, seq: expectSeq, message: `record ${expectSeq} is missing`, records };
        if (row.purgedAt === null && journalHash(r) !== r.hash) return { ok: false, seq: r.seq, message: 'record hash does not match its content', records };
        if (r.prevHash !== prev) return { ok: false, seq: r.seq, message: 'prevHash does not match the previous record', records };
        prev = r.hash;
        expectSeq++;
        records++;
      }
      if (page.length < PAGE) break;
    }
    if (records !== this.last.seq) return { ok: false, seq: records + 1, message: `records after ${records} are missing`, records };
    return { ok: true, records };
  }
}
