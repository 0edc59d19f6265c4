import type { SqlClient } from './sql-client.js';

/**
 * Group commit: units of work that arrive while the event loop is busy (stations uploading or
 * reporting at once) run in one transaction, each in a savepoint of its own, and are answered only
 * once that transaction is durable. On SQLite the commit's fsync (synchronous=FULL) is then paid once
 * for the group instead of once per request. A unit that throws undoes only its own work; the others
 * commit. On PostgreSQL (`grouped: false`) each unit is its own transaction: concurrent connections
 * commit in parallel and PostgreSQL groups their WAL flushes itself, while one transaction holding
 * several stations' locks could deadlock with another instance's.
 */
export class GroupCommit<I, O> {
  private pending: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];

  constructor(
    private readonly client: SqlClient,
    private readonly work: (input: I) => Promise<O>,
    private readonly grouped: boolean = client.dialect === 'sqlite',
  ) {}

  run(input: I): Promise<O> {
    if (!this.grouped) return this.client.transaction(() => this.work(input));
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const group = this.pending;
    this.pending = [];
    const results: ({ ok: true; out: O } | { ok: false; err: unknown })[] = [];
    try {
      await this.client.transaction(async () => {
        for (const p of group) {
          await this.client.exec('SAVEPOINT group_unit');
          try {
            results.push({ ok: true, out: await this.work(p.input) });
            await this.client.exec('RELEASE SAVEPOINT group_unit');
          } catch (err) {
            await this.client.exec('ROLLBACK TO SAVEPOINT group_unit; RELEASE SAVEPOINT group_unit');
            results.push({ ok: false, err });
          }
        }
      });
    } catch (err) {
      for (const p of group) p.reject(err);
      return;
    }
    group.forEach((p, i) => {
      const r = results[i]!;
      if (r.ok) p.resolve(r.out);
      else p.reject(r.err);
    });
  }
}
