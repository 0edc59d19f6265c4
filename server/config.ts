import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * The server's configuration, from the environment and an optional JSON file (same UPPER_CASE keys;
 * the environment wins). Parsed once at start into a frozen object that is passed in, never read from
 * process.env deep inside.
 */
const Int = (opts: { minimum: number; maximum: number; default: number; description: string }) =>
  Type.Integer(opts);

const ConfigInputSchema = Type.Object({
  PORT: Int({ minimum: 0, maximum: 65535, default: 8080, description: 'TCP port (0 = any free port)' }),
  HOST: Type.String({ minLength: 1, maxLength: 255, default: '127.0.0.1', description: 'address to listen on' }),
  DATA_DIR: Type.String({ minLength: 1, maxLength: 1000, default: './data', description: 'where the database and keys live' }),
  DB_FILE: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'SQLite file (default DATA_DIR/server.sqlite; ":memory:" for tests)' })),
  DATABASE_URL: Type.Optional(Type.String({ minLength: 12, maxLength: 2000, pattern: '^postgres(ql)?://',
    description: 'PostgreSQL (postgres://user@host/db): the production engine; unset: SQLite under DATA_DIR (DB_FILE)' })),
  DATABASE_READ_URL: Type.Optional(Type.String({ minLength: 12, maxLength: 2000, pattern: '^postgres(ql)?://',
    description: 'PostgreSQL streaming replica for read-only audit searches (needs DATABASE_URL); unset: the primary' })),
  DATABASE_POOL_SIZE: Int({ minimum: 1, maximum: 200, default: 10, description: 'PostgreSQL connections per server instance' }),
  KEYS_DIR: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'issuer key files (default DATA_DIR/keys)' })),
  NATIONAL_ROOT_PUBLIC_KEY: Type.Optional(Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]+$',
    description: 'national mode: the national root public key (raw Ed25519, base64url); stations get the authority documents it signed, imported by an admin' })),
  DEPLOYMENT: Type.Union([Type.Literal('province'), Type.Literal('national')], { default: 'province',
    description: 'province: one province alone (users, stations and passes of that province; no national scope); national: the whole country, each province a tenant, with national users (needs NATIONAL_ROOT_PUBLIC_KEY)' }),
  PROVINCE: Type.Optional(Type.Integer({ minimum: 1, maximum: 99,
    description: 'DEPLOYMENT=province: the province this server serves (two-digit code); users and stations of any other province are refused. Unset: each user acts in the province they were created for' })),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  SESSION_TTL_MINUTES: Int({ minimum: 1, maximum: 7 * 24 * 60, default: 480, description: 'browser session lifetime' }),
  API_TOKEN_TTL_DAYS: Int({ minimum: 1, maximum: 3650, default: 90, description: 'default lifetime of API tokens (at most API_TOKEN_MAX_DAYS)' }),
  API_TOKEN_MAX_DAYS: Int({ minimum: 1, maximum: 3650, default: 90, description: 'longest lifetime an API token may be given' }),
  LOGIN_RATE_LIMIT: Int({ minimum: 1, maximum: 10_000, default: 10, description: 'failed sign-ins per minute per client address (successes are not counted)' }),
  LOGIN_ACCOUNT_FAILURES: Int({ minimum: 1, maximum: 10_000, default: 10, description: 'failed sign-ins per 15 minutes per account, from any address' }),
  ONLINE_CHECK_ROUTE: Type.Boolean({ default: false, description: 'register POST /api/v1/online/check, the emulation of the 2021 online check (the benchmark only)' }),
  COOKIE_SECURE: Type.Boolean({ default: false, description: 'mark cookies Secure (set true behind HTTPS)' }),
  TRUST_PROXY: Type.Boolean({ default: false, description: 'take the client address from X-Forwarded-For (only behind a reverse proxy you run)' }),
  RETENTION_DAYS: Int({ minimum: 1, maximum: 3650, default: 30, description: 'days personal data in the journal is kept' }),
  DEFAULT_MAX_STAY_HOURS: Int({ minimum: 1, maximum: 24 * 365, default: 24, description: 'committed stay when a pass has none' }),
  TRANSIT_HOURS: Type.Optional(Type.String({ maxLength: 2000, pattern: '^(\\d{2}=\\d{1,4})(,\\d{2}=\\d{1,4})*$',
    description: 'each province\'s transit allowance in hours, e.g. "80=12,79=24": a vehicle inside longer is overdue there (a pass\'s shorter committed stay still wins); unset for a province: the pass\'s stay or DEFAULT_MAX_STAY_HOURS' })),
  HEARTBEAT_STALE_SECONDS: Int({ minimum: 5, maximum: 86_400, default: 120, description: 'heartbeat age that raises a warning' }),
  CLOCK_SKEW_WARN_SECONDS: Int({ minimum: 1, maximum: 86_400, default: 300, description: 'station clock skew that raises a warning' }),
  ALERT_WEBHOOK_URL: Type.Optional(Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://', description: 'outgoing webhook for alerts (the stand-in for the steering committee\'s chat groups); unset: none' })),
  ALERT_WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 16, maxLength: 200, description: 'HMAC-SHA256 key signing each webhook body (X-Signature: sha256=<hex>)' })),
  ALERT_POLL_MS: Int({ minimum: 100, maximum: 600_000, default: 5000, description: 'how often new alerts are looked for and sent' }),
  // 100,000 records are about 4-7 s of work for one instance storing 15,000-25,000 records/s: well
  // past what its group commit takes at once (4 groups of 5,000), so the database never waits for the
  // refused stations to come back, and below the station's 15 s timeout, so an admitted upload is
  // answered before its station gives up. (The national load test's 640k backlog: 40,000 drained in
  // 31.4 s with 853 uploads timed out or reset, 100,000 in 28.3 s with none.)
  INGEST_QUEUE_MAX_RECORDS: Int({ minimum: 1, maximum: 10_000_000, default: 100_000,
    description: 'journal records one instance holds accepted but not yet answered; past it an upload is refused with 503 and Retry-After (INGEST_BUSY)' }),
  SHUTDOWN_GRACE_SECONDS: Int({ minimum: 0, maximum: 600, default: 10,
    description: 'on shutdown, how long requests in flight may take before their connections are cut (stations retry; every write is idempotent)' }),
  BODY_LIMIT_BYTES: Int({ minimum: 1024, maximum: 64 * 1024 * 1024, default: 4 * 1024 * 1024, description: 'largest request body' }),
});
type ConfigInput = Static<typeof ConfigInputSchema>;

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly dbFile: string;
  /** PostgreSQL connection URL, or null for SQLite at dbFile */
  readonly databaseUrl: string | null;
  /** a streaming replica for read-only audit searches, or null */
  readonly databaseReadUrl: string | null;
  readonly databasePoolSize: number;
  readonly keysDir: string;
  /** national mode: the national root's public key (the private key stays offline); null: one province alone */
  readonly nationalRootPublicKey: string | null;
  /** one province alone, or the whole country with each province a tenant (see Deployment) */
  readonly deployment: Deployment;
  readonly logLevel: ConfigInput['LOG_LEVEL'];
  readonly sessionTtlMinutes: number;
  readonly apiTokenTtlDays: number;
  readonly apiTokenMaxDays: number;
  /** failed sign-ins per minute per client address */
  readonly loginRateLimit: number;
  /** failed sign-ins per 15 minutes per account */
  readonly loginAccountFailures: number;
  /** register the online-check emulation route (the benchmark) */
  readonly onlineCheckRoute: boolean;
  readonly cookieSecure: boolean;
  readonly trustProxy: boolean;
  readonly retentionDays: number;
  readonly defaultMaxStayHours: number;
  /** province code → transit allowance in hours (TRANSIT_HOURS) */
  readonly transitHours: ReadonlyMap<number, number>;
  readonly heartbeatStaleSeconds: number;
  readonly clockSkewWarnSeconds: number;
  readonly bodyLimitBytes: number;
  /** how long a shutdown waits for requests in flight before it cuts their connections */
  readonly shutdownGraceMs: number;
  /** records accepted but not yet answered, per instance, before uploads are refused (admission control) */
  readonly ingestQueueMaxRecords: number;
  /** outgoing alert webhook, or null */
  readonly alertWebhook: { readonly url: string; readonly secret: string } | null;
  readonly alertPollMs: number;
}

/**
 * The deployment's shape. `province`: a province's own server (the demo's default); `only` names the
 * province when configured, and nobody there acts at national level. `national`: one server for the
 * country, each province a tenant, national users acting across provinces.
 */
export type Deployment = { readonly mode: 'province'; readonly only: number | null } | { readonly mode: 'national' };

function deploymentOf(c: ConfigInput): Deployment {
  if (c.DEPLOYMENT === 'province') return Object.freeze({ mode: 'province', only: c.PROVINCE ?? null });
  if (c.PROVINCE !== undefined) throw new ConfigError('config PROVINCE: only with DEPLOYMENT=province (a national deployment serves every province)');
  // the country's stations verify every province's codes with the national root: no chain, no country
  if (c.NATIONAL_ROOT_PUBLIC_KEY === undefined) throw new ConfigError('config NATIONAL_ROOT_PUBLIC_KEY: required when DEPLOYMENT=national');
  return Object.freeze({ mode: 'national' });
}

function webhookOf(c: ConfigInput): ServerConfig['alertWebhook'] {
  if (c.ALERT_WEBHOOK_URL === undefined) return null;
  // an unsigned alert could be forged by anyone who finds the receiver: a secret is required
  if (c.ALERT_WEBHOOK_SECRET === undefined) throw new ConfigError('config ALERT_WEBHOOK_SECRET: required when ALERT_WEBHOOK_URL is set');
  return Object.freeze({ url: c.ALERT_WEBHOOK_URL, secret: c.ALERT_WEBHOOK_SECRET });
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const KEYS = Object.keys(ConfigInputSchema.properties) as (keyof ConfigInput)[];

function readFileInput(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`config file ${file}: cannot read (${(e as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config file ${file}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`config file ${file}: must hold a JSON object`);
  for (const k of Object.keys(parsed)) {
    if (!KEYS.includes(k as keyof ConfigInput)) throw new ConfigError(`config file ${file}: unknown setting ${k}`);
  }
  return parsed as Record<string, unknown>;
}

/** Environment strings to the schema's types, so "8080" and "true" are accepted; bad text stays text and fails validation. */
function coerce(key: keyof ConfigInput, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const schema = ConfigInputSchema.properties[key] as { type?: string };
  if (schema.type === 'integer') return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (schema.type === 'boolean') return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
  return raw;
}

/** "80=12,79=24" → {80 → 12, 79 → 24}; the pattern has already checked the shape. */
function transitHoursOf(text: string | undefined): ReadonlyMap<number, number> {
  const out = new Map<number, number>();
  for (const pair of text ? text.split(',') : []) {
    const [p, h] = pair.split('=').map(Number) as [number, number];
    if (h < 1) throw new ConfigError(`config TRANSIT_HOURS: province ${p} has ${h} hours (at least 1)`);
    out.set(p, h);
  }
  return out;
}

export function loadServerConfig(env: Record<string, string | undefined> = process.env, file?: string): ServerConfig {
  const path = file ?? env.CONFIG_FILE;
  const fromFile = path ? readFileInput(path) : {};
  const input: Record<string, unknown> = {};
  for (const k of KEYS) {
    const raw = env[k] !== undefined && env[k] !== '' ? env[k] : fromFile[k];
    if (raw !== undefined) input[k] = coerce(k, raw);
  }
  const withDefaults = Value.Default(ConfigInputSchema, input);
  const first = Value.Errors(ConfigInputSchema, withDefaults).First();
  if (first) {
    const field = first.path.replace(/^\//, '') || '(config)';
    throw new ConfigError(`config ${field}: ${first.message} (got ${JSON.stringify(input[field] ?? null)})`);
  }
  const c = withDefaults as ConfigInput;
  if (c.API_TOKEN_TTL_DAYS > c.API_TOKEN_MAX_DAYS) {
    throw new ConfigError(`config API_TOKEN_TTL_DAYS (${c.API_TOKEN_TTL_DAYS}) is above API_TOKEN_MAX_DAYS (${c.API_TOKEN_MAX_DAYS})`);
  }
  if (c.DATABASE_READ_URL && !c.DATABASE_URL) throw new ConfigError('config DATABASE_READ_URL needs DATABASE_URL (a replica of which primary?)');
  const dataDir = resolve(c.DATA_DIR);
  return Object.freeze({
    port: c.PORT,
    host: c.HOST,
    dataDir,
    dbFile: c.DB_FILE === ':memory:' ? ':memory:' : resolve(c.DB_FILE ?? join(dataDir, 'server.sqlite')),
    databaseUrl: c.DATABASE_URL ?? null,
    databaseReadUrl: c.DATABASE_READ_URL ?? null,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    keysDir: resolve(c.KEYS_DIR ?? join(dataDir, 'keys')),
    nationalRootPublicKey: c.NATIONAL_ROOT_PUBLIC_KEY ?? null,
    deployment: deploymentOf(c),
    logLevel: c.LOG_LEVEL,
    sessionTtlMinutes: c.SESSION_TTL_MINUTES,
    apiTokenTtlDays: c.API_TOKEN_TTL_DAYS,
    apiTokenMaxDays: c.API_TOKEN_MAX_DAYS,
    loginRateLimit: c.LOGIN_RATE_LIMIT,
    loginAccountFailures: c.LOGIN_ACCOUNT_FAILURES,
    onlineCheckRoute: c.ONLINE_CHECK_ROUTE,
    cookieSecure: c.COOKIE_SECURE,
    trustProxy: c.TRUST_PROXY,
    retentionDays: c.RETENTION_DAYS,
    defaultMaxStayHours: c.DEFAULT_MAX_STAY_HOURS,
    transitHours: transitHoursOf(c.TRANSIT_HOURS),
    heartbeatStaleSeconds: c.HEARTBEAT_STALE_SECONDS,
    clockSkewWarnSeconds: c.CLOCK_SKEW_WARN_SECONDS,
    bodyLimitBytes: c.BODY_LIMIT_BYTES,
    shutdownGraceMs: c.SHUTDOWN_GRACE_SECONDS * 1000,
    ingestQueueMaxRecords: c.INGEST_QUEUE_MAX_RECORDS,
    alertWebhook: webhookOf(c),
    alertPollMs: c.ALERT_POLL_MS,
  });
}
