import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { reasonText } from '../shared/rules/reasons.js';
import { DEMO_OFFICER, DemoRig } from './rig.js';
import { runSmoke } from './smoke.js';
import { startTraffic } from './traffic.js';

const HELP = `npm run demo [-- options]

The whole system on one machine: the central server (SQLite under --data-dir), a seeded province
(users for each role, two checkpoints, ~50 passes and ~200 people covering every case), a station
with an entry and an exit scanner on socat pseudo-terminals, the neighbouring province's (80 Long An)
checkpoint 8001 as a second station process with its own two scanners, and continuous simulated traffic.
Ctrl-C stops everything.

  --smoke            run the scripted end-to-end check instead and exit (0 only if all passed)
  --port N           server port (default 8080; 0 = any free port)
  --host H           host for all three web servers (default 127.0.0.1)
  --screen-port N    officer screen port (default 8081)
  --panel-port N     simulator panel port (default 8090)
  --data-dir D       where the demo keeps its data (default ./data/demo; wiped at start)
  --rate S           seconds between simulated vehicles (default 4)
  --no-traffic       do not generate traffic (drive the scanners yourself: npm run sim)
  -h, --help         this text
`;

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    port: { type: 'string', default: '8080' },
    'screen-port': { type: 'string', default: '8081' },
    'panel-port': { type: 'string', default: '8090' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string', default: './data/demo' },
    rate: { type: 'string', default: '4' },
    'no-traffic': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const print = (line: string) => process.stdout.write(`${line}\n`);
const rig = new DemoRig({
  dataDir: resolve(values['data-dir']),
  port: Number(values.port),
  host: values.host,
  syncIntervalMs: values.smoke ? 1000 : 5000,
  screenPort: values.smoke ? null : Number(values['screen-port']),
  panelPort: values.smoke ? null : Number(values['panel-port']),
  log: (m) => print(`demo: ${m}`),
});

let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await rig.stop().catch((err: unknown) => print(`demo: stop: ${(err as Error).message}`));
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  print('demo: starting server, seeding the province, starting the station…');
  await rig.start();
  if (values.smoke) {
    const { failed } = await runSmoke(rig, print);
    await shutdown(failed === 0 ? 0 : 1);
  }
  print('');
  print(`Server (web app):   ${rig.serverUrl}/app/    API docs: ${rig.serverUrl}/docs`);
  print(`Station:            ${rig.seed.station.stationId} (checkpoint ${rig.seed.station.checkpointId}, province 79)`);
  if (rig.screenUrl) print(`Officer screen:     ${rig.screenUrl}   sign in: ${DEMO_OFFICER.id} / PIN ${DEMO_OFFICER.pin}`);
  if (rig.panelUrl) print(`Simulator panel:    ${rig.panelUrl}`);
  for (const s of rig.scanners) print(`Scanner ${s.id.padEnd(12)} lane ${s.lane} (${s.direction}): ${s.path}`);
  if (rig.neighbourStation) {
    const n = rig.neighbourStation.opts;
    print(`Long An station:    ${n.stationId} (checkpoint ${n.checkpointId}, province ${n.province}, its own process)`);
    for (const s of rig.neighbourStation.scannerPaths) print(`Scanner ${s.id.padEnd(12)} lane ${s.lane} (${s.direction}): ${s.path}`);
  }
  print('Logins (username / password):');
  for (const l of rig.seed.logins) print(`  ${l.role.padEnd(10)} ${l.username} / ${l.password}`);
  print('');
  if (!values['no-traffic']) {
    startTraffic(rig, Number(values.rate) * 1000, (v) =>
      print(`${new Date(v.at).toLocaleTimeString('vi-VN')} ${v.lane.padEnd(6)} ${v.verdict.padEnd(6)} ${(v.subject.plate ?? v.subject.names.join(', ')).padEnd(24)} ${v.reasons.map((r) => reasonText(r)).join('; ')}`),
    );
  }
  print('Ctrl-C to stop.');
} catch (err) {
  print(`demo failed: ${(err as Error).stack ?? String(err)}`);
  await shutdown(1);
}
