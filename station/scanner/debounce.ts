/**
 * Presentation-mode scanners read a code held in front of them again and again. A read whose key
 * (the payload) was seen within `windowMs` is suppressed; each suppressed read restarts the window,
 * so a code held for ten seconds gives one read. Time is passed in: pure and testable.
 */
export class Debouncer {
  private readonly lastSeen = new Map<string, number>();
  private suppressedCount = 0;

  /** `maxKeys` bounds memory if many distinct payloads arrive within one window. */
  constructor(private readonly windowMs: number, private readonly maxKeys = 1024) {}

  /** True when the read should go through; false when it repeats one inside the window. */
  admit(key: string, now: number): boolean {
    this.prune(now);
    const last = this.lastSeen.get(key);
    // Re-insert so the map stays ordered by last sight and pruning can stop at the first fresh key.
    this.lastSeen.delete(key);
    this.lastSeen.set(key, now);
    if (this.lastSeen.size > this.maxKeys) {
      const oldest = this.lastSeen.keys().next().value;
      if (oldest !== undefined) this.lastSeen.delete(oldest);
    }
    if (last !== undefined && now - last < this.windowMs && now >= last) {
      this.suppressedCount++;
      return false;
    }
    return true;
  }

  /** Reads suppressed so far. */
  get suppressed(): number {
    return this.suppressedCount;
  }

  /** Keys currently remembered (for tests and stats). */
  get size(): number {
    return this.lastSeen.size;
  }

  clear(): void {
    this.lastSeen.clear();
  }

  private prune(now: number): void {
    for (const [key, at] of this.lastSeen) {
      if (now - at < this.windowMs && now >= at) break;
      this.lastSeen.delete(key);
    }
  }
}
