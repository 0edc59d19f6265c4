import type { Crossing } from '../../shared/rules/crossing.js';
import type { CrossingClosedEvent, OverrideEvent, VerdictEvent } from '../engine/engine.js';
import { crossingView, decisionView, overrideView, passView, type CrossingView, type DecisionView, type OverrideView, type ViewSources } from './view.js';
import { scanFindings } from './findings-view.js';

interface Tracked {
  /** the crossing as the rules left it */
  crossing: Crossing;
  override: OverrideView | null;
}

/**
 * What the screen remembers between events: the last decisions (for a screen that connects or
 * reloads) and the recent crossings, which an officer may still override. Bounded.
 */
export class ScreenState {
  private readonly decisions: DecisionView[] = [];
  private readonly crossings = new Map<string, Tracked>();

  constructor(
    private readonly src: ViewSources,
    private readonly recentLimit = 30,
    private readonly crossingLimit = 500,
  ) {}

  /** Crossings open at start (resumed from the store), so an officer can see and override them. */
  resume(open: Crossing[]): void {
    for (const c of open) this.track(c, null);
  }

  recent(): DecisionView[] {
    return [...this.decisions];
  }

  /** The latest view of every crossing the recent decisions mention, and of every open one. */
  crossingViews(): CrossingView[] {
    const ids = new Set(this.decisions.flatMap((d) => (d.crossing ? [d.crossing.id] : [])));
    const out: CrossingView[] = [];
    for (const [id, t] of this.crossings) if (ids.has(id) || t.crossing.state === 'open') out.push(crossingView(t.crossing, t.override, this.src.severity));
    return out;
  }

  crossing(id: string): Crossing | null {
    return this.crossings.get(id)?.crossing ?? null;
  }

  /** A scan's verdict: the decision, and the crossings it closed besides its own. */
  onVerdict(v: VerdictEvent): { decision: DecisionView; closed: CrossingView[] } {
    const closed: CrossingView[] = [];
    for (const c of v.closed) {
      if (c.id === v.crossing?.id) continue;
      closed.push(this.track(c, this.crossings.get(c.id)?.override ?? null));
    }
    const override = v.crossing ? (this.crossings.get(v.crossing.id)?.override ?? null) : null;
    if (v.crossing) this.track(v.crossing, override);
    const decision = decisionView(v, this.src, override);
    this.remember(decision);
    return { decision, closed };
  }

  private remember(d: DecisionView): void {
    this.decisions.unshift(d);
    if (this.decisions.length > this.recentLimit) this.decisions.pop();
  }

  onCrossingClosed(e: CrossingClosedEvent): CrossingView {
    return this.track(e.crossing, this.crossings.get(e.crossing.id)?.override ?? null);
  }

  /** An override; one made by hand from a plate lookup (no scan behind it) also becomes a decision on the list. */
  onOverride(e: OverrideEvent): { crossing: CrossingView; decision: DecisionView | null } {
    const known = this.crossings.has(e.original.id);
    const crossing = this.track(e.original, overrideView(e.record));
    if (known) return { crossing, decision: null };
    const facts = e.crossing.pass ? this.src.getPass(e.crossing.pass) : null;
    const decision: DecisionView = {
      seq: e.record.seq,
      at: e.record.at,
      lane: e.record.lane,
      direction: e.record.direction,
      scannerId: '',
      verdict: e.crossing.verdict,
      reasons: e.crossing.reasons,
      codeKind: 'none',
      detail: null,
      misread: null,
      findings: crossing.findings.length ? crossing.findings : scanFindings(e.crossing.reasons, this.src.severity),
      plate: e.crossing.pass?.plate ?? null,
      person: null,
      pass: facts ? passView(facts) : null,
      crossing,
      decideMs: 0,
    };
    this.remember(decision);
    return { crossing, decision };
  }

  private track(c: Crossing, override: OverrideView | null): CrossingView {
    this.crossings.delete(c.id); // re-insert: the map's order is recency
    this.crossings.set(c.id, { crossing: c, override });
    if (this.crossings.size > this.crossingLimit) this.crossings.delete(this.crossings.keys().next().value!);
    return crossingView(c, override, this.src.severity);
  }
}
