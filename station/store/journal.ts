import type Database from 'better-sqlite3';
import { asc, desc, eq, getTableColumns, gt, sql } from 'drizzle-orm';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import { GENESIS_HASH, journalHash, sealRecord, type ChainCheck } from '../../shared/journal/hash-chain.js';
import type { Crossing } from '../../shared/rules/crossing.js';
import type { Db } from './cache.js';
import { recordToRow, rowToRecord } from './rows.js';
import { journal, openCrossings, presence } from './schema.js';

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

/**
 * A lone surrogate (say in an officer's note) cannot be stored as UTF-8: SQLite would read back
 * replacement characters, and the record would no longer match the hash sealed over it, a false
 * "tampered" at the station and a chain break at the server. Replace each with U+FFFD before sealing,
 * so the hash covers exactly what is stored.
 */
function wellFormed(draft: RecordDraft): RecordDraft {
  let out: RecordDraft | null = null;
  for (const [k, v] of Object.entries(draft)) {
    if (typeof v === 'string' && ANY_SURROGATE.test(v)) (out ??= { ...draft })[k as 'note'] = v.replace(LONE_SURROGATE, '\uFFFD');
  }
  return out ?? draft;
}
const DAY = 86_400_000;

/**
 * What the retention purge clears: every field that names or links to a person — the same fields the
 * server clears (server/services/retention). The plate and pass id go too: through the pass they name
 * its crew. Kept: station, seq, time, lane, direction, kind, verdict, reasons, code kind, policy
 * version and both hashes, so counts still add up and the chain's links can still be walked.
 */
export const PERSONAL_COLUMNS = [
  'plate', 'citizen_id', 'pass_id', 'pass_version', 'payload_hash', 'crossing_id', 'scanner_id', 'officer', 'note',
] as const;

/**
 * The journal (a hash chain, one per station), who is inside, and the crossing open on each lane: the
 * journal file, written by the deciding thread alone. What the server has acknowledged is a watermark
 * the link keeps in its own file (outbox.ts).
 */
export class Journal {
  private readonly q;
  private readonly purgeChunk: Database.Statement<{ now: number; cutoff: number; limit: number; acked: number }>;
  private last: { seq: number; hash: string };

  constructor(private readonly db: Db, private readonly client: Database.Database) {
    const p = sql.placeholder;
    const cols = getTableColumns(journal);
    this.q = {
      insert: db.insert(journal).values(Object.fromEntries(Object.keys(cols).map((k) => [k, p(k)])) as never).prepare(),
      since: db.select().from(journal).where(gt(journal.seq, p('seq'))).orderBy(asc(journal.seq)).limit(p('limit')).prepare(),
      inside: db.select({ since: presence.since }).from(presence).where(eq(presence.key, p('key'))).prepare(),
      enter: db.insert(presence).values({ key: p('key'), since: p('since'), crossingId: p('crossingId') } as never)
        .onConflictDoUpdate({ target: presence.key, set: { since: sql.raw('excluded.since'), crossingId: sql.raw('excluded.crossing_id') } }).prepare(),
      leave: db.delete(presence).where(eq(presence.key, p('key'))).prepare(),
      setCrossing: db.insert(openCrossings).values({ lane: p('lane'), state: p('state'), closesAt: p('closesAt') } as never)
        .onConflictDoUpdate({ target: openCrossings.lane, set: { state: sql.raw('excluded.state'), closesAt: sql.raw('excluded.closes_at') } }).prepare(),
      clearCrossing: db.delete(openCrossings).where(eq(openCrossings.lane, p('lane'))).prepare(),
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
    return this.q.inside.get({ key }) !== undefined;
  }

  openCrossings(): Crossing[] {
    return this.db.select({ state: openCrossings.state }).from(openCrossings).all().map((r) => JSON.parse(r.state) as Crossing);
  }

  /**
   * Journal rows, outbox rows, presence and open-crossing state for one decision, in one transaction
   * with synchronous=FULL: when this returns, the records survive a crash or power loss.
   */
  appendDecision(w: DecisionWrite): JournalRecord[] {
    const sealed: JournalRecord[] = [];
    let { seq, hash } = this.last;
    this.client.transaction(() => {
      for (const draft of w.records) {
        const record = sealRecord({ ...wellFormed(draft), seq: ++seq, prevHash: hash });
        hash = record.hash;
        this.q.insert.run(recordToRow(record));
        sealed.push(record);
      }
      for (const pr of w.presence ?? []) {
        if (pr.inside) this.q.enter.run({ key: pr.key, since: pr.at, crossingId: pr.crossingId });
        else this.q.leave.run({ key: pr.key });
      }
      for (const { lane, crossing } of w.crossings ?? []) {
        if (crossing && crossing.state === 'open') this.q.setCrossing.run({ lane, state: JSON.stringify(crossing), closesAt: crossing.closesAt });
        else this.q.clearCrossing.run({ lane });
      }
    }).immediate();
    // Only after the commit: a failed transaction leaves the chain head where it was.
    this.last = { seq, hash };
    return sealed;
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
   */
  purgePersonalData(now: number, retentionDays: number, ackedSeq: number, maxRecords = Infinity): { records: number; cutoff: number } {
    if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError(`retentionDays must be a whole number of days >= 1 (got ${retentionDays})`);
    const cutoff = now - retentionDays * DAY;
    let records = 0;
    while (records < maxRecords) {
      const limit = Math.min(PAGE, maxRecords - records);
      const n = this.client.transaction(() => this.purgeChunk.run({ now, cutoff, limit, acked: ackedSeq }).changes).immediate();
      records += n;
      if (n < limit) break;
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
