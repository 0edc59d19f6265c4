import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadStationConfig, StationConfigError } from './config.js';
import { crossingLine, verdictLine } from './output.js';
import { applySeed, readSeedFile, SeedError } from './seed.js';
import { Station, STORE_FILE, type StationLog } from './station.js';
import { DataDirLockedError } from './data-dir-lock.js';
import { officerScreenForStation } from './screen/for-station.js';
import { openStationStore, StoreError } from './store/store.js';

const HELP = `Trạm kiểm soát (checkpoint station) / checkpoint control station

Usage:
  npm run station -- --config FILE                 start the station
  npm run station -- seed --config FILE --seed SEED.json
                                                   replace the station's cache with a seed file
  npm run station -- --help

Starting reads the config file (JSON, validated: errors name the field), opens the store in its
dataDir (SQLite, migrated at start), opens every configured scanner, and decides each scan.
Each verdict is printed on stdout as one JSON line ({"type":"verdict", "seq", "verdict",
"reasons", ...}), after it is durable in the journal; crossings closed by their time window print
{"type":"crossing", ...}. Logs go to stderr as JSON lines. SIGINT or SIGTERM stops it cleanly.

Config file:
  { "stationId": "st-79-001", "checkpointId": 1, "province": 79,
    "rootPublicKey": "<base64url raw Ed25519, 43 chars>", "dataDir": "./data/station",
    "scanners": [ { "id": "lane1-in", "path": "/dev/serial/by-id/usb-...", "lane": "L1",
                    "direction": "entry", "suffix": "auto", "baudRate": 9600 } ],
        (a scanner's "kind": "serial" (default), "evdev" (a USB keyboard-wedge scanner at
         /dev/input/by-id/...-event-kbd, read and grabbed by the station), "screen" (a keyboard-wedge
         scanner on the officer screen's PC) or "camera" (the officer screen's camera); see README)
    "server": { "url": "https://...", "credential": "..." },      (optional)
    "officerScreen": { "host": "127.0.0.1", "port": 8080 } }      (optional)

Seed file: { "rootPublicKey", "trustDocument", "policyDocument", "items": [feed items] }
(npm run sim can make one with test keys).`;

const log: StationLog = (level, message, fields) => {
  process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level, message, ...fields }) + '\n');
};

async function run(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { config: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const command = positionals[0] ?? 'run';
  if (!['run', 'seed'].includes(command) || positionals.length > 1) throw new UsageError(`unknown command: ${positionals.join(' ')}`);
  if (!values.config) throw new UsageError('--config FILE is required');
  const config = loadStationConfig(values.config);

  if (command === 'seed') {
    if (!values.seed) throw new UsageError('seed needs --seed SEED.json');
    const seed = readSeedFile(values.seed);
    mkdirSync(config.dataDir, { recursive: true });
    const store = openStationStore(join(config.dataDir, STORE_FILE));
    try {
      const { applied } = applySeed(store, config, seed);
      log('info', 'seed applied', { items: applied, store: store.path });
    } finally {
      store.close();
    }
    return 0;
  }

  // A closed stdout (the reader went away) must not stop the station: verdicts are in the journal anyway.
  process.stdout.on('error', (err) => log('warn', 'stdout is not writable; verdicts are still journaled', { error: err.message }));
  const station = new Station(config, { log });
  station.on('verdict', (v) => process.stdout.write(verdictLine(v) + '\n'));
  station.on('crossing', (e) => process.stdout.write(crossingLine(e) + '\n'));
  station.on('scannerState', (s) => log('info', 'scanner state', { ...s }));
  let screen: ReturnType<typeof officerScreenForStation> = null;
  const stopAll = async () => {
    await screen?.stop();
    await station.stop();
  };
  const stopped = new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) {
        log('warn', 'second signal: exiting without waiting', { signal });
        process.exit(1);
      }
      log('info', 'stopping', { signal });
      stopAll().then(resolve, (err: unknown) => {
        log('error', 'stop failed', { error: String(err) });
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await station.start();
  screen = officerScreenForStation(station);
  if (screen) log('info', 'officer screen', { url: await screen.start() });
  await stopped;
  return 0;
}

class UsageError extends Error {}

run().then(
  (code) => {
    process.exitCode = code;
    // Everything is stopped; should a library still hold the event loop, do not hang the shutdown.
    setTimeout(() => process.exit(code), 3000).unref();
  },
  (err: unknown) => {
    const known = err instanceof UsageError || err instanceof StationConfigError || err instanceof SeedError || err instanceof StoreError || err instanceof DataDirLockedError;
    process.stderr.write(`${known ? 'Error' : 'Unexpected error'}: ${(err as Error).message}\n${err instanceof UsageError ? 'See --help.\n' : ''}`);
    if (!known) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
