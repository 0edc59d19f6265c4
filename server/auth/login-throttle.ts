import type { SqlClient } from '../db/sql-client.js';

/**
 * Failed sign-ins counted per client address and per account, in sliding windows. Successes are never
 * counted: eleven colleagues behind one office NAT all signing in at 7:30 are not refused, while
 * guessing from one address, or at one account from many, is.
 *
 * The attempts live in the database (`login_attempts`), not in one process, so the limits hold for a
 * province or a country served by several instances behind a load balancer: failures on instance A and
 * on instance B add up. An attempt is written before its password is checked and counted while it is in
 * flight, so a guesser firing many attempts at once (at one instance or spread over several) gets no
 * more than the limit through. Counting and writing an attempt is one transaction, serialised per
 * address and per account (SQLite: its one writer; PostgreSQL: advisory locks, address before account
 * so two attempts never wait on each other crosswise). A success deletes its row; an attempt cut off by
 * a crash stays counted until it leaves its window.
 */
export interface LoginLimits {
  /** failures per address per `addressWindowMs` */
  perAddress: number;
  addressWindowMs: number;
  /** failures per account (any address) per `accountWindowMs` */
  perAccount: number;
  accountWindowMs: number;
}

/** One attempt under way: `failed()` when the password was wrong, `succeeded()` when it was right. */
export interface LoginAttempt {
  failed(): Promise<void>;
  succeeded(): Promise<void>;
}

export type AttemptOutcome = { allowed: true; attempt: LoginAttempt } | { allowed: false; retryAfterMs: number };

interface Counted { at: number; failed: number }

export class LoginThrottle {
  constructor(private readonly db: SqlClient, private readonly limits: LoginLimits, private readonly clock: () => number) {}

  /** Register an attempt, or refuse it with how long to wait when the address or the account is at its limit. */
  async begin(address: string, username: string): Promise<AttemptOutcome> {
    const now = this.clock();
    const account = username.toLowerCase();
    const turn = await this.db.transaction(async () => {
      if (this.db.dialect === 'postgres') {
        await this.db.get("SELECT pg_advisory_xact_lock(hashtext('login_attempts.address'), hashtext(?))", [address]);
        await this.db.get("SELECT pg_advisory_xact_lock(hashtext('login_attempts.account'), hashtext(?))", [account]);
      }
      const waitMs = Math.max(
        await this.wait('address', address, this.limits.perAddress, this.limits.addressWindowMs, now),
        await this.wait('account', account, this.limits.perAccount, this.limits.accountWindowMs, now),
      );
      // a refused attempt is not written: it is not a failure and must not extend the wait
      if (waitMs > 0) return { waitMs, id: 0 };
      const row = await this.db.get<{ id: number }>(
        'INSERT INTO login_attempts (address, account, at, failed) VALUES (?, ?, ?, ?) RETURNING id', [address, account, now, 0]);
      return { waitMs: 0, id: row!.id };
    });
    if (turn.waitMs > 0) return { allowed: false, retryAfterMs: turn.waitMs };
    const id = turn.id;
    return {
      allowed: true,
      attempt: {
        failed: async () => {
          await this.db.run('UPDATE login_attempts SET failed = ? WHERE id = ?', [1, id]);
          await this.sweep(now);
        },
        succeeded: async () => void await this.db.run('DELETE FROM login_attempts WHERE id = ?', [id]),
      },
    };
  }

  /** 0 when fewer than `max` attempts (failed or in flight) fall in the window; else ms until one leaves it. */
  private async wait(column: 'address' | 'account', key: string, max: number, windowMs: number, now: number): Promise<number> {
    const recent = await this.db.all<Counted>(
      `SELECT at, failed FROM login_attempts WHERE ${column} = ? AND at > ? ORDER BY at DESC LIMIT ?`,
      [key, now - windowMs, max],
    );
    if (recent.length < max) return 0;
    // Allowed again once the oldest failure that keeps the count at the limit leaves the window. When
    // attempts still in flight fill the limit, they may yet succeed: try again in a second.
    if (recent.some((r) => !r.failed)) return 1000;
    return recent[max - 1]!.at + windowMs - now;
  }

  /** Failures older than the longest window count for nothing: removed as new failures come in. */
  private async sweep(now: number): Promise<void> {
    await this.db.run('DELETE FROM login_attempts WHERE at <= ?', [now - Math.max(this.limits.addressWindowMs, this.limits.accountWindowMs)]);
  }
}
