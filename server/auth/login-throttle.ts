/**
 * Failed sign-ins counted per client address and per account, in sliding windows. Successes are never
 * counted: eleven colleagues behind one office NAT all signing in at 7:30 are not refused, while
 * guessing from one address, or at one account from many, is. In memory: a restart forgets failures
 * (the limits slow guessing; they are not a lockout record).
 */
export interface LoginLimits {
  /** failures per address per `addressWindowMs` */
  perAddress: number;
  addressWindowMs: number;
  /** failures per account (any address) per `accountWindowMs` */
  perAccount: number;
  accountWindowMs: number;
}

export class LoginThrottle {
  private readonly byAddress = new Map<string, number[]>();
  private readonly byAccount = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(private readonly limits: LoginLimits, private readonly clock: () => number) {}

  /** ms until this address may try again, or until this account may; 0 when allowed now. */
  retryAfterMs(address: string, username: string): number {
    const now = this.clock();
    this.sweep(now);
    return Math.max(
      this.wait(this.byAddress.get(address), this.limits.perAddress, this.limits.addressWindowMs, now),
      this.wait(this.byAccount.get(username.toLowerCase()), this.limits.perAccount, this.limits.accountWindowMs, now),
    );
  }

  failed(address: string, username: string): void {
    const now = this.clock();
    push(this.byAddress, address, now, this.limits.perAddress);
    push(this.byAccount, username.toLowerCase(), now, this.limits.perAccount);
  }

  private wait(times: number[] | undefined, max: number, windowMs: number, now: number): number {
    if (!times) return 0;
    const recent = times.filter((t) => t > now - windowMs);
    if (recent.length < max) return 0;
    // Allowed again once the oldest failure that keeps the count at the limit leaves the window.
    return recent[recent.length - max]! + windowMs - now;
  }

  /** Drop failures older than their window, at most once a minute, so the maps hold only recent failures. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    prune(this.byAddress, now - this.limits.addressWindowMs);
    prune(this.byAccount, now - this.limits.accountWindowMs);
  }
}

/** Only the last `keep` failures matter for the limit; older ones are dropped so a flood costs no memory. */
function push(map: Map<string, number[]>, key: string, at: number, keep: number): void {
  const times = map.get(key);
  if (!times) return void map.set(key, [at]);
  times.push(at);
  if (times.length > keep) times.splice(0, times.length - keep);
}

function prune(map: Map<string, number[]>, before: number): void {
  for (const [key, times] of map) {
    const kept = times.filter((t) => t > before);
    if (kept.length === 0) map.delete(key);
    else map.set(key, kept);
  }
}
