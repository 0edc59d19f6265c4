import pg from 'pg';
import type { SqlClient } from './sql-client.js';

/**
 * LISTEN on a PostgreSQL channel over a connection of its own (a pooled connection cannot hold a
 * LISTEN), calling `wake` for each notification, and once more after every reconnect (a notification
 * sent while the connection was down is lost, so the listener assumes it missed one). Resolves to a
 * stop function. Reconnects with a capped back-off; `onError` hears every failure.
 */
export async function listenForNotifications(
  url: string,
  channel: string,
  wake: () => void,
  onError: (err: unknown) => void = () => undefined,
): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  let delayMs = 250;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: 'checkpoint-server-listen' });
    c.on('notification', () => wake());
    c.on('error', (err) => {
      onError(err);
      if (client === c) reconnectSoon();
    });
    c.on('end', () => {
      if (client === c && !stopped) reconnectSoon();
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    if (stopped) {
      await c.end();
      return;
    }
    client = c;
    delayMs = 250;
    wake();
  };

  const reconnectSoon = (): void => {
    const old = client;
    client = null;
    old?.end().catch(() => undefined);
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().catch((err: unknown) => {
        onError(err);
        reconnectSoon();
      });
    }, delayMs);
    retry.unref();
    delayMs = Math.min(delayMs * 2, 10_000);
  };

  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}

/**
 * Inside a transaction: notify `channel` when it commits (not at all when it rolls back; PostgreSQL
 * folds a transaction's identical notifications into one). SQLite, one process, has no one to tell.
 */
export async function notifyAtCommit(client: SqlClient, channel: string): Promise<void> {
  if (client.dialect === 'postgres') await client.get('SELECT pg_notify(?, ?) AS sent', [channel, '']);
}
