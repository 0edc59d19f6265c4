import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { ConfigError, loadServerConfig, type ServerConfig } from './config.js';
import { DomainError } from './domain-errors.js';
import { isRole } from './auth/access.js';
import { KeyFilesMissingError } from './services/trust/service.js';

/**
 * `npm run server` starts the server; `npm run server -- create-admin --username U --password P
 * --province N` creates the first admin (or any first user with --role) and exits;
 * `npm run keys -- create --role transport|policy --province N` makes a province's signing key (logged).
 */
async function serve(config: ServerConfig): Promise<void> {
  const app = await buildApp(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    // a second signal while closing forces the exit
    process.once(signal as NodeJS.Signals, () => process.exit(1));
    try {
      await app.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
}

async function createAdmin(config: ServerConfig, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      province: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      name: { type: 'string' },
    },
    strict: true,
  });
  const province = Number(values.province);
  if (!values.username || !values.password || !Number.isInteger(province) || province < 1 || province > 99) {
    throw new ConfigError('usage: npm run server -- create-admin --username U --password P --province N (1-99) [--role admin] [--name "Full name"]');
  }
  if (!isRole(values.role)) throw new ConfigError(`unknown role ${values.role}`);
  const app = await buildApp(config, { logger: false });
  try {
    const user = await app.users.create(null, {
      username: values.username,
      password: values.password,
      displayName: values.name,
      role: values.role,
      province,
    });
    console.log(`created ${user.role} ${user.username} (id ${user.id}) for province ${user.province}`);
  } finally {
    await app.close();
  }
}

const KEYS_USAGE = 'usage: npm run keys -- create --role transport|policy --province N (1-99)';

/** Key management: the one command-line way to make a signing key; written to the access log and the server log. */
async function keys(config: ServerConfig, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { role: { type: 'string' }, province: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const province = Number(values.province);
  if (positionals[0] !== 'create' || positionals.length !== 1 || (values.role !== 'transport' && values.role !== 'policy')
    || !/^[0-9]{1,2}$/.test(values.province ?? '') || province < 1 || province > 99) {
    throw new ConfigError(KEYS_USAGE);
  }
  const app = await buildApp(config, { logger: false });
  try {
    const role = values.role as 'transport' | 'policy';
    const made = await app.trust.createKey(role, province, { system: `cli:${userInfo().username}` },
      { method: 'CLI', url: `keys ${argv.join(' ')}` });
    console.log(`created ${role} key ${made.kid} for province ${province}; trust list version ${made.trustListVersion}`);
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const config = loadServerConfig();
  if (command === undefined || command === 'serve') return serve(config);
  if (command === 'create-admin') return createAdmin(config, rest);
  if (command === 'keys') return keys(config, rest);
  throw new ConfigError(`unknown command ${command} (use: serve, create-admin, keys)`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DomainError || err instanceof KeyFilesMissingError) {
    console.error(`error: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
