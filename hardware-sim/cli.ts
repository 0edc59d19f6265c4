import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import { KeyboardWedgeScanner, type SimDevice } from './keyboard-wedge.js';
import { makeSamples } from './make-samples.js';
import { socatAvailable } from './pty-pair.js';
import { loadScenario, runScenario, ScenarioError } from './scenario.js';
import { simPaths, SUFFIX_BYTES, VirtualScanner, type SimSuffix } from './virtual-scanner.js';

const HELP = `Simulated QR scanners on socat pseudo-terminals (Máy quét QR giả lập)

  npm run sim -- start --count N [--dir D] [--suffix cr|lf|crlf] [--aim] [--baud B]
                       [--keyboards K [--uinput] [--key-delay MS] [--caps-lock]]
      Start N emulated serial scanners, then K keyboard-wedge scanners (indices N..N+K-1) that type
      each read as input_event records: into a FIFO <dir>/keyboard-<k> (a station scanner of kind
      "evdev" names it as its path), or with --uinput into a real virtual keyboard (/dev/uinput
      needed) that the station can grab, or that types into the focused window (the officer screen,
      for its keyboard-wedge capture: use --key-delay 5). Prints JSON with each scanner's stationPath
      (put it in the station config) and devicePath. Stays up until Ctrl-C, reading commands on stdin,
      one per line (they work on both kinds):
        scan <i> <payload>          one read (the rest of the line is the payload, spaces included)
        repeat <i> <n> <payload>    the same read n times (presentation mode)
        file <i> <FILE>             one read per non-empty line of FILE
        garbage <i> <n>             n random bytes
        unplug <i> | replug <i>     the station's path vanishes / returns
        received <i>                feedback bytes the station wrote back, as hex
      Feedback written by the station is also printed as it arrives: {"event":"feedback",...}.
      Default dir: a new temp dir. Scanner i is <dir>/scanner-<i> (station) and <dir>/scanner-<i>.device.

  npm run sim -- scan --path DEVICE_PATH (--payload X | --file F) [--suffix cr|lf|crlf] [--aim] [--baud B] [--repeat N]
      Write reads to the device end of a running scanner (a devicePath printed by start).

  npm run sim -- scenario FILE [--dir D]
      Start the scanners a scenario needs, print their paths, run its steps, stop. FILE is JSON: a list
      of steps, or {"scanners": N, "steps": [...]}. Steps:
        {"step":"scan","scanner":0,"payload":"VNP1:...","suffix":"cr","aim":true,"baudRate":9600}
        {"step":"scan","scanner":0,"payloadFile":"samples/codes/forged-pass.txt"}
        {"step":"repeat","scanner":0,"payload":"...","count":10,"intervalMs":100}
        {"step":"garbage","scanner":0,"bytes":1048576}
        {"step":"unplug","scanner":0}   {"step":"replug","scanner":0}   {"step":"wait-ms","ms":500}

  npm run sim -- make-samples --out DIR [--checkpoint N] [--sim-dir D]
      Test keys (PEM), trust list, policy, sample codes with expected verdicts (samples.json and one
      file per crossing in codes/), a seed file (seed.json) and an example station config (station.json)
      whose scanners are <sim-dir>/scanner-0 (entry) and scanner-1 (exit). Default sim-dir /tmp/checkpoint-sim.

  npm run sim -- --help
`;

class UsageError extends Error {}

const out = (obj: unknown): void => {
  process.stdout.write(JSON.stringify(obj) + '\n');
};

function suffixOf(v: string | undefined): SimSuffix {
  if (v === undefined) return 'cr';
  if (v in SUFFIX_BYTES) return v as SimSuffix;
  throw new UsageError(`--suffix must be cr, lf or crlf, not ${v}`);
}

function intOf(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer ≥ ${min}, not ${v}`);
  return n;
}

async function startScanners(count: number, dir: string | undefined, opts: { suffix: SimSuffix; aim: boolean; baudRate: number | null }) {
  if (!(await socatAvailable())) throw new UsageError('socat is not installed (apt-get install socat)');
  const base = dir ? resolve(dir) : await mkdtemp(join(tmpdir(), 'checkpoint-sim-'));
  await mkdir(base, { recursive: true });
  const scanners: VirtualScanner[] = [];
  try {
    for (let i = 0; i < count; i++) scanners.push(await VirtualScanner.start({ ...simPaths(base, `scanner-${i}`), ...opts }));
  } catch (err) {
    await Promise.all(scanners.map((s) => s.stop()));
    throw err;
  }
  scanners.forEach((s, i) => s.on('received', (chunk: Buffer) => out({ event: 'feedback', scanner: i, hex: chunk.toString('hex') })));
  out({ dir: base, scanners: scanners.map((s, i) => ({ index: i, stationPath: s.stationPath, devicePath: s.devicePath })) });
  return Object.assign(scanners, { dir: base });
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function startKeyboards(count: number, dir: string, opts: { uinput: boolean; keyDelayMs: number; capsLock: boolean }): Promise<KeyboardWedgeScanner[]> {
  const keyboards: KeyboardWedgeScanner[] = [];
  try {
    for (let k = 0; k < count; k++) {
      keyboards.push(await KeyboardWedgeScanner.start(opts.uinput ? { uinput: true } : { fifo: join(dir, `keyboard-${k}`) }, { keyDelayMs: opts.keyDelayMs, capsLock: opts.capsLock }));
    }
  } catch (err) {
    await Promise.all(keyboards.map((k) => k.stop()));
    throw new UsageError(`keyboard-wedge scanner not created: ${(err as Error).message}`);
  }
  return keyboards;
}

async function command(line: string, scanners: SimDevice[]): Promise<void> {
  const m = /^\s*(\S+)(?:\s+(\d+))?(?:\s(.*))?$/.exec(line);
  if (!m || line.trim() === '') return;
  const [, cmd, idx, rest = ''] = m;
  if (cmd === 'help') return void process.stderr.write(HELP);
  const s = idx === undefined ? undefined : scanners[Number(idx)];
  if (!s) throw new Error(`usage: ${cmd} <scanner index 0..${scanners.length - 1}> ...`);
  switch (cmd) {
    case 'scan':
      if (!rest) throw new Error('usage: scan <i> <payload>');
      return s.scan(rest);
    case 'repeat': {
      const r = /^(\d+)\s(.+)$/.exec(rest);
      if (!r) throw new Error('usage: repeat <i> <n> <payload>');
      return s.repeat(r[2]!, Number(r[1]));
    }
    case 'file':
      for (const p of (await readFile(rest.trim(), 'utf8')).split(/\r?\n/).filter((l) => l.trim())) await s.scan(p);
      return;
    case 'garbage':
      await s.garbage(intOf(rest.trim(), 'n', 1) ?? 1);
      return;
    case 'unplug':
      return s.unplug();
    case 'replug':
      return s.replug();
    case 'received':
      return void out({ scanner: Number(idx), hex: s.received().toString('hex') });
    default:
      throw new Error(`unknown command ${cmd}; try help`);
  }
}

async function cmdStart(values: Record<string, string | boolean | undefined>): Promise<void> {
  const count = intOf(values.count as string | undefined, '--count', 0) ?? 1;
  if (count > 32) throw new UsageError('--count is at most 32');
  const keyboardCount = intOf(values.keyboards as string | undefined, '--keyboards', 0) ?? 0;
  if (count + keyboardCount > 32) throw new UsageError('--count plus --keyboards is at most 32');
  const serial = await startScanners(count, values.dir as string | undefined, {
    suffix: suffixOf(values.suffix as string | undefined),
    aim: values.aim === true,
    baudRate: intOf(values.baud as string | undefined, '--baud', 50) ?? null,
  });
  const keyboards = await startKeyboards(keyboardCount, serial.dir, {
    uinput: values.uinput === true,
    keyDelayMs: intOf(values['key-delay'] as string | undefined, '--key-delay', 0) ?? 0,
    capsLock: values['caps-lock'] === true,
  }).catch(async (err: unknown) => {
    await Promise.all(serial.map((s) => s.stop()));
    throw err;
  });
  if (keyboards.length) out({ keyboards: keyboards.map((k, i) => ({ index: count + i, kind: 'evdev', stationPath: k.stationPath })) });
  const scanners: SimDevice[] = [...serial, ...keyboards];
  // Commands run one after another; a bad command is reported and the simulator stays up.
  let queue = Promise.resolve();
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    queue = queue.then(() => command(line, scanners).then(
      () => { if (line.trim()) out({ ok: line.trim().split(/\s+/).slice(0, 2).join(' ') }); },
      (err: Error) => out({ error: err.message }),
    ));
  });
  await untilSignal();
  rl.close();
  await queue;
  await Promise.all(scanners.map((s) => s.stop()));
}

async function cmdScan(values: Record<string, string | boolean | undefined>): Promise<void> {
  const path = values.path as string | undefined;
  if (!path) throw new UsageError('scan needs --path DEVICE_PATH');
  if ((values.payload === undefined) === (values.file === undefined)) throw new UsageError('scan needs exactly one of --payload and --file');
  const payloads = typeof values.file === 'string'
    ? (await readFile(values.file, 'utf8')).split(/\r?\n/).filter((l) => l.trim())
    : [values.payload as string];
  const repeat = intOf(values.repeat as string | undefined, '--repeat', 1) ?? 1;
  const aim = values.aim === true ? ']Q1' : '';
  const suffix = SUFFIX_BYTES[suffixOf(values.suffix as string | undefined)];
  const baud = intOf(values.baud as string | undefined, '--baud', 50);
  // lock:false: the `start` process holding this device end open must not block us.
  const port = new SerialPort({ path, baudRate: baud ?? 115_200, autoOpen: false, lock: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(new Error(`cannot open ${path}: ${e.message}`)) : res())));
  try {
    for (const p of payloads) {
      for (let i = 0; i < repeat; i++) {
        await new Promise<void>((res, rej) => port.write(Buffer.from(aim + p + suffix, 'utf8'), (e) => (e ? rej(e) : port.drain((d) => (d ? rej(d) : res())))));
      }
    }
    out({ written: payloads.length * repeat, path });
  } finally {
    await new Promise<void>((res) => port.close(() => res()));
  }
}

async function cmdScenario(file: string | undefined, values: Record<string, string | boolean | undefined>): Promise<void> {
  if (!file) throw new UsageError('scenario needs a FILE');
  const scenario = await loadScenario(file);
  const scanners = await startScanners(scenario.scanners, values.dir as string | undefined, { suffix: 'cr', aim: false, baudRate: null });
  const stop = () => Promise.all(scanners.map((s) => s.stop()));
  const interrupted = untilSignal().then(() => 'interrupted' as const);
  try {
    const done = runScenario(scenario, scanners, (i, step) => out({ step: i, done: step.step })).then(() => 'done' as const);
    out({ scenario: await Promise.race([done, interrupted]) });
  } finally {
    await stop();
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      count: { type: 'string' }, dir: { type: 'string' }, suffix: { type: 'string' }, aim: { type: 'boolean' },
      baud: { type: 'string' }, path: { type: 'string' }, payload: { type: 'string' }, file: { type: 'string' },
      repeat: { type: 'string' }, out: { type: 'string' }, checkpoint: { type: 'string' }, 'sim-dir': { type: 'string' },
      keyboards: { type: 'string' }, uinput: { type: 'boolean' }, 'key-delay': { type: 'string' }, 'caps-lock': { type: 'boolean' },
    },
  });
  const [cmd, ...rest] = positionals;
  if (values.help || !cmd) return void process.stdout.write(HELP);
  if (cmd === 'start') return cmdStart(values);
  if (cmd === 'scan') return cmdScan(values);
  if (cmd === 'scenario') return cmdScenario(rest[0], values);
  if (cmd === 'make-samples') {
    if (!values.out) throw new UsageError('make-samples needs --out DIR');
    const checkpoint = intOf(values.checkpoint, '--checkpoint', 1);
    const made = await makeSamples({ out: resolve(values.out), ...(checkpoint ? { checkpoint } : {}), ...(values['sim-dir'] ? { simDir: resolve(values['sim-dir']) } : {}) });
    return void out({ out: resolve(values.out), files: made.files.length, samples: made.samples.map((s) => ({ name: s.name, file: s.file, expect: s.expect })) });
  }
  throw new UsageError(`unknown command ${cmd}`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: Error) => {
    const known = err instanceof UsageError || err instanceof ScenarioError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    process.stderr.write(`${known ? 'Error' : 'Unexpected error'}: ${err.message}\n${err instanceof UsageError ? 'See --help.\n' : ''}`);
    process.exit(known ? 2 : 1);
  },
);
