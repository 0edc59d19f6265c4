// The officer screen's own scanners: a keyboard-wedge scanner plugged into this device (kind
// `screen`) and the device's camera (kind `camera`), as the station's config binds them to lanes.
// Each read is posted to the station, which treats it as any scanner's read.
import { mountCamera } from './camera.js';
import { watchWedge } from './wedge.js';

const PRESENCE_MS = 10_000;

async function post(path, body) {
  try {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
    return res.ok;
  } catch {
    return false;
  }
}

/** This page's scanner of `kind`: `?scanner=ID` in the address, else the one on the lane shown, else the first. */
function pick(list, kind) {
  const mine = list.filter((s) => s.kind === kind);
  const wanted = new URLSearchParams(location.search).get('scanner');
  const lane = localStorage.getItem('lane');
  return mine.find((s) => s.id === wanted) ?? mine.find((s) => s.lane === lane) ?? mine[0] ?? null;
}

function keepPresent(id, initial = 'connected') {
  let state = initial;
  let detail;
  const send = () => post(`/api/screen-scanners/${encodeURIComponent(id)}/presence`, detail ? { state, detail } : { state });
  setInterval(() => document.visibilityState === 'visible' && send(), PRESENCE_MS);
  return (s, d) => {
    state = s;
    detail = d ? String(d).slice(0, 200) : undefined;
    void send();
  };
}

async function start() {
  let info;
  try {
    const res = await fetch('/api/screen-scanners', { credentials: 'same-origin' });
    if (!res.ok) return;
    info = await res.json();
  } catch {
    return;
  }
  const read = (id) => (text) => post(`/api/screen-scanners/${encodeURIComponent(id)}/reads`, { text });
  const wedge = pick(info.scanners, 'screen');
  if (wedge) {
    watchWedge({ ...wedge, keymap: info.keymap, suffixKeys: info.suffixKeys, send: read(wedge.id) });
    keepPresent(wedge.id)('connected');
    document.body.dataset.wedge = wedge.id;
  }
  const camera = pick(info.scanners, 'camera');
  if (camera) {
    const parent = document.querySelector('.lower') ?? document.body;
    mountCamera(parent, camera, { send: read(camera.id), report: keepPresent(camera.id, 'error') });
    document.body.dataset.camera = camera.id;
  }
}

void start();
