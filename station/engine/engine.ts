import { randomUUID, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import { readCode, type ReadCode } from '../../shared/codes/read-code.js';
import { closeCrossing, expireCrossing, presenceKey, type Crossing } from '../../shared/rules/crossing.js';
import { decide, type CachedFacts, type Decision, type Subject } from '../../shared/rules/decide.js';
import { applyOverride, type Override } from '../../shared/rules/override.js';
import type { HealthCodeBody } from '../../shared/codes/health-code.js';
import type { Policy } from '../../shared/rules/policy.js';
import type { ReasonCode, Verdict } from '../../shared/rules/reasons.js';
import type { ScanEvent, ScannerPort } from '../scanner/scanner-port.js';
import type { DecisionWrite, PresenceWrite, RecordDraft, StationStore } from '../store/store.js';
import { crossingRecord, overrideRecord, presenceWrite, scanRecord } from './records.js';
import { TrustState, type EngineLog } from './trust-state.js';

export interface EngineOptions {
  stationId: string;
  checkpointId: number;
  province: number;
  rootPublicKey: KeyObject;
  store: StationStore;
  clock?: () => number;
  log?: EngineLog;
  /** crossing ids; unique across restarts */
  newCrossingId?: () => string;
}

/** A durable verdict: emitted only after its journal records are committed. */
export interface VerdictEvent {
  type: 'verdict';
  /** seq and hash of the scan's journal record */
  seq: number;
  hash: string;
  at: number;
  stationId: string;
  scannerId: string;
  lane: string;
  direction: 'entry' | 'exit';
  verdict: Verdict;
  reasons: ReasonCode[];
  codeKind: 'pass' | 'health' | 'none';
  /** why a code was refused before the rules ran (unreadable, bad signature...), else null */
  detail: string | null;
  subject: Subject;
  /** what a verified health code said of its person (the officer's screen shows it in words) */
  health: HealthCodeBody | null;
  /** the lane's crossing after this scan (closed when this scan completed it) */
  crossing: Crossing | null;
  /** crossings this scan closed: an earlier one on the lane, and this scan's own when it completed */
  closed: Crossing[];
  /** every record written for this scan, in seq order */
  records: JournalRecord[];
  /** in-process time from the line reaching the engine to the verdict being durable, ms */
  decideMs: number;
  /** the part of decideMs spent committing the journal transaction (fsync with synchronous=FULL), ms */
  journalMs: number;
}

/** A crossing closed by its window passing (no scan involved), once journaled. */
export interface CrossingClosedEvent {
  type: 'crossing';
  crossing: Crossing;
  record: JournalRecord;
}

/** A scan that could not be journaled (disk full, I/O error): no verdict was shown for it. */
export interface EngineFault {
  type: 'fault';
  scannerId: string | null;
  message: string;
}

/** An officer's override, once journaled. */
export interface OverrideEvent {
  type: 'override';
  /** the crossing as the rules left it (closed by the override when it was still open) */
  original: Crossing;
  /** the crossing with the officer's verdict */
  crossing: Crossing;
  /** the `override` record (officer, note) */
  record: JournalRecord;
  /** every record written: the crossing record when the override closed it, then the override */
  records: JournalRecord[];
}

export interface EngineEvents {
  verdict: [VerdictEvent];
  crossing: [CrossingClosedEvent];
  override: [OverrideEvent];
  fault: [EngineFault];
}

const MAX_TIMER_MS = 2_147_000_000;

/**
 * The scan pipeline: scan event → verified code → cached facts → pure `decide` with the lane's open
 * crossing → journal (durable) → `verdict` event → scanner feedback. Also closes crossings whose
 * window passed, on a timer. Synchronous from scan to journal: nothing interleaves within a decision.
 */
export class ScanEngine extends EventEmitter<EngineEvents> {
  private readonly store: StationStore;
  private readonly clock: () => number;
  private readonly log: EngineLog;
  private readonly rules: TrustState;
  private readonly newCrossingId: () => string;
  private readonly open = new Map<string, Crossing>();
  private readonly detachers = new Map<ScannerPort, () => void>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(private readonly opts: EngineOptions) {
    super();
    this.store = opts.store;
    this.clock = opts.clock ?? Date.now;
    this.log = opts.log ?? (() => {});
    this.rules = new TrustState(opts.store, opts.rootPublicKey, this.log, opts.province);
    this.newCrossingId = opts.newCrossingId ?? randomUUID;
  }

  /** Resume the crossings left open by the last run, close those already expired, start the timer. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.open.clear();
    for (const c of this.store.openCrossings()) this.open.set(c.lane, c);
    this.expireDue();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const detach of this.detachers.values()) detach();
    this.detachers.clear();
  }

  /** Decide every scan of this scanner and send it the good/bad feedback. */
  attach(scanner: ScannerPort): void {
    if (this.detachers.has(scanner)) return;
    const onScan = (event: ScanEvent) => {
      const v = this.handleScan(event);
      const kind = v && v.verdict === 'ALLOW' ? 'good' : 'bad';
      scanner.feedback(kind).catch((err: unknown) => this.log('warn', 'scanner feedback failed', { scanner: scanner.scannerId, error: String(err) }));
    };
    scanner.on('scan', onScan);
    this.detachers.set(scanner, () => scanner.off('scan', onScan));
  }

  detach(scanner: ScannerPort): void {
    this.detachers.get(scanner)?.();
    this.detachers.delete(scanner);
  }

  /** The policy in force now (the officer's screen orders reasons by its severities). */
  currentPolicy(now = this.clock()): Policy {
    return this.rules.current(now).policy;
  }

  openCrossing(lane: string): Crossing | null {
    return this.open.get(lane) ?? null;
  }

  /** Decide one scan and journal it; returns (and emits) the verdict, or null when it could not be journaled. */
  handleScan(event: ScanEvent): VerdictEvent | null {
    const t0 = performance.now();
    let verdict: VerdictEvent;
    try {
      verdict = this.decideAndJournal(event, t0);
    } catch (err) {
      // Nothing was committed (one transaction), so nothing is shown: the officer sees a fault, not a verdict.
      this.fault(event.scannerId, `scan could not be decided and journaled: ${(err as Error).message}`);
      return null;
    }
    this.emitSafely('verdict', verdict);
    return verdict;
  }

  private decideAndJournal(event: ScanEvent, t0: number): VerdictEvent {
    const now = this.clock();
    const { trust, policy, policyVersion } = this.rules.current(now);
    const code = this.read(event, trust, now);
    const open = this.open.get(event.lane) ?? null;
    // One read of the cache for the whole decision: a snapshot swapped in meanwhile is seen whole or not at all.
    const decision = this.store.readCache(() => decide({
      code,
      facts: this.factsFor(code, open),
      policy,
      context: { checkpointId: this.opts.checkpointId, province: this.opts.province, lane: event.lane, direction: event.direction, cacheSyncedAt: this.store.syncState().syncedAt },
      crossing: open,
      newCrossingId: this.newCrossingId(),
      now,
    }));

    const { stationId } = this.opts;
    const records: RecordDraft[] = [];
    const write: Required<DecisionWrite> = { records, presence: [], crossings: [] };
    const closed: Crossing[] = [];
    const close = (c: Crossing) => {
      closed.push(c);
      records.push(crossingRecord(c, stationId, now, policyVersion));
      write.presence.push(...presenceWrite(c, now));
    };
    if (decision.closed) close(decision.closed);
    const codeKind = code.ok ? code.kind : 'none';
    const payload = event.kind === 'payload' ? event.payload : null;
    records.push(scanRecord({ stationId, at: now, lane: event.lane, direction: event.direction, scannerId: event.scannerId, codeKind, payload, policyVersion }, decision));
    if (decision.crossing?.state === 'closed') close(decision.crossing);
    const after = decision.crossing?.state === 'open' ? decision.crossing : null;
    if (after !== open) write.crossings.push({ lane: event.lane, crossing: after });

    const t1 = performance.now();
    const sealed = this.store.appendDecision(write);
    const t2 = performance.now();
    this.setOpen(event.lane, after);
    const scan = sealed[decision.closed ? 1 : 0]!;
    return {
      type: 'verdict',
      seq: scan.seq,
      hash: scan.hash,
      at: now,
      stationId,
      scannerId: event.scannerId,
      lane: event.lane,
      direction: event.direction,
      verdict: decision.verdict,
      reasons: decision.reasons,
      codeKind,
      detail: code.ok ? null : code.detail,
      subject: decision.subject,
      health: code.ok && code.kind === 'health' ? code.health : null,
      crossing: decision.crossing,
      closed,
      records: sealed,
      decideMs: t2 - t0,
      journalMs: t2 - t1,
    };
  }

  /** Close and journal every open crossing whose window has passed; the timer calls this. */
  expireDue(now = this.clock()): CrossingClosedEvent[] {
    const { policy, policyVersion } = this.rules.current(now);
    const out: CrossingClosedEvent[] = [];
    for (const [lane, c] of [...this.open]) {
      const expired = expireCrossing(c, now, policy);
      if (expired.state !== 'closed') continue;
      let record: JournalRecord;
      try {
        [record] = this.store.appendDecision({
          records: [crossingRecord(expired, this.opts.stationId, now, policyVersion)],
          presence: presenceWrite(expired, now),
          crossings: [{ lane, crossing: null }],
        }) as [JournalRecord];
      } catch (err) {
        this.fault(null, `expired crossing ${c.id} could not be journaled: ${(err as Error).message}`);
        continue;
      }
      this.open.delete(lane);
      const event: CrossingClosedEvent = { type: 'crossing', crossing: expired, record };
      out.push(event);
      this.emitSafely('crossing', event);
    }
    this.schedule();
    return out;
  }

  /**
   * An officer's verdict on a crossing, journaled as an `override` record with the officer and the
   * written reason (uploaded like any record). A crossing still open on its lane is closed by it: the
   * officer has decided. Who is inside follows the officer's verdict. Throws (nothing written) when the
   * override lacks a reason or an officer, or the store cannot write.
   */
  overrideCrossing(target: Crossing, o: Override): OverrideEvent {
    const now = this.clock();
    const { policy, policyVersion } = this.rules.current(now);
    const open = this.open.get(target.lane);
    const wasOpen = open !== undefined && open.id === target.id;
    const original = wasOpen ? closeCrossing(open, 'override', policy) : target;
    const crossing = applyOverride(original, o);
    const { stationId } = this.opts;
    const records = [...(wasOpen ? [crossingRecord(original, stationId, now, policyVersion)] : []), overrideRecord(crossing, o, stationId, now, policyVersion)];
    const sealed = this.store.appendDecision({
      records,
      presence: overridePresence(original, crossing, now),
      crossings: wasOpen ? [{ lane: target.lane, crossing: null }] : [],
    });
    if (wasOpen) this.setOpen(target.lane, null);
    const event: OverrideEvent = { type: 'override', original, crossing, record: sealed[sealed.length - 1]!, records: sealed };
    this.emitSafely('override', event);
    return event;
  }

  private read(event: ScanEvent, trust: ReturnType<TrustState['current']>['trust'], now: number): ReadCode {
    if (event.kind === 'unreadable') {
      const reason = event.cause === 'SYMBOLOGY_NOT_ALLOWED' ? 'SYMBOLOGY_NOT_ALLOWED' : 'UNREADABLE';
      return { ok: false, reason, detail: `${event.cause}: ${event.detail}` };
    }
    if (!trust) return { ok: false, reason: 'UNTRUSTED_KEY', detail: 'no verified trust list at this station' };
    return readCode(event.payload, trust, now);
  }

  private factsFor(code: ReadCode, open: Crossing | null): CachedFacts {
    const zoneLevels = (zone: string) => this.store.zoneLevel(zone);
    const isInside = (key: string) => this.store.isInside(key);
    if (!code.ok) return { zoneLevels, isInside };
    if (code.kind === 'pass') return { pass: this.store.getPass(code.pass), passStatus: this.store.passStatus(code.pass), zoneLevels, isInside };
    // Crew of an open vehicle crossing: the pass's origin zone counts too.
    const pass = open?.state === 'open' && open.pass ? this.store.getPass(open.pass) : null;
    return { person: this.store.healthFlag(code.health.citizenId), pass, zoneLevels, isInside };
  }

  private setOpen(lane: string, c: Crossing | null): void {
    if (c) this.open.set(lane, c);
    else this.open.delete(lane);
    this.schedule();
  }

  /** One timer, for the earliest window end among the open crossings. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.running || this.open.size === 0) return;
    let first = Infinity;
    for (const c of this.open.values()) first = Math.min(first, c.closesAt);
    const delay = Math.min(Math.max(first - this.clock(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.expireDue(), delay);
    this.timer.unref();
  }

  private fault(scannerId: string | null, message: string): void {
    this.log('error', message, { scanner: scannerId });
    this.emitSafely('fault', { type: 'fault', scannerId, message });
  }

  /** A listener that throws must not undo a journaled decision or stop the pipeline. */
  private emitSafely<E extends keyof EngineEvents>(event: E, ...args: EngineEvents[E]): void {
    for (const listener of this.listeners(event)) {
      try {
        (listener as (...a: EngineEvents[E]) => void)(...args);
      } catch (err) {
        this.log('error', `a ${event} listener failed`, { error: String(err) });
      }
    }
  }
}

/** Presence after an override: an ALLOW puts the subject where it was going; undoing an ALLOW puts it back. */
function overridePresence(original: Crossing, overridden: Crossing, at: number): PresenceWrite[] {
  const key = overridden.pass ? presenceKey.pass(overridden.pass) : overridden.members[0] ? presenceKey.person(overridden.members[0].citizenId) : null;
  if (!key) return [];
  const entry = overridden.direction === 'entry';
  if (overridden.verdict === 'ALLOW') return [{ key, inside: entry, at, crossingId: overridden.id }];
  // The rules had let it through (only a closed crossing changes presence): the officer undoes that.
  if (original.state === 'closed' && original.verdict === 'ALLOW') return [{ key, inside: !entry, at, crossingId: overridden.id }];
  return [];
}
