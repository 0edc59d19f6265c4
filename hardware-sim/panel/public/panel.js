// The simulator panel: plain DOM, text only through textContent (codes and labels are data).
const $ = (id) => document.getElementById(id);
let selected = localStorage.getItem('sim-scanner') ?? '';
let scanners = [];
let lastList = '';

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function log(ok, text) {
  const item = el('li', { dataset: { ok: String(ok) } }, `${new Date().toLocaleTimeString('vi-VN')} ${text}`);
  $('log').prepend(item);
  while ($('log').children.length > 100) $('log').lastChild.remove();
}

async function post(path, body) {
  try {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const data = await res.json().catch(() => ({}));
    return res.ok ? { ok: true, data } : { ok: false, message: data.message ?? `HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, message: String(err) };
  }
}

function renderScanners() {
  if (!scanners.some((s) => s.id === selected)) selected = scanners[0]?.id ?? '';
  $('scanners').replaceChildren(
    ...scanners.map((s) =>
      el('div', { class: `scanner${s.id === selected ? ' selected' : ''}`, dataset: { scanner: s.id, plugged: String(s.plugged), kind: s.kind } },
        el('input', { type: 'radio', name: 'scanner', value: s.id, checked: s.id === selected, 'aria-label': s.id, onchange: () => select(s.id) }),
        el('div', { onclick: () => select(s.id) },
          el('div', { class: 'name' }, s.id, s.lane ? ` · làn/lane ${s.lane}${s.direction ? ` (${s.direction === 'entry' ? 'vào/entry' : 'ra/exit'})` : ''}` : ''),
          el('div', { class: 'path' }, `${s.kind === 'evdev' ? 'bàn phím USB (evdev) / keyboard wedge' : 'cổng COM / serial'} · ${s.stationPath}`),
          el('div', { class: 'state' }, s.plugged ? 'đang cắm / plugged in' : 'đã rút / unplugged')),
        el('div', { class: 'plug' },
          el('button', { type: 'button', class: 'unplug', disabled: !s.plugged, onclick: () => plug(s.id, false) }, 'Rút cáp / Unplug'),
          el('button', { type: 'button', class: 'replug', disabled: s.plugged, onclick: () => plug(s.id, true) }, 'Cắm lại / Replug')),
      ),
    ),
  );
  if (!scanners.length) $('scanners').append(el('p', {}, 'Chưa có máy quét ảo / No virtual scanners'));
}

function select(id) {
  selected = id;
  localStorage.setItem('sim-scanner', id);
  // Mark in place: replacing the nodes would lose the radio under the pointer.
  for (const node of document.querySelectorAll('.scanner')) {
    const on = node.dataset.scanner === id;
    node.classList.toggle('selected', on);
    node.querySelector('input[type=radio]').checked = on;
  }
}

async function refresh() {
  try {
    const res = await fetch('/api/scanners');
    if (res.ok) {
      const text = await res.text();
      // Re-render only on a change, so a button is not replaced under the tester's finger.
      if (text === lastList) return;
      lastList = text;
      scanners = JSON.parse(text);
      renderScanners();
    }
  } catch {
    // the panel's process is gone or restarting: keep the last list
  }
}

async function plug(id, on) {
  const r = await post(on ? '/api/replug' : '/api/unplug', { scanner: id });
  log(r.ok, `${on ? 'replug' : 'unplug'} ${id}: ${r.ok ? 'ok' : r.message}`);
  await refresh();
}

function codeToScan() {
  return $('code').value.trim();
}

async function scan(times) {
  const code = codeToScan();
  if (!code) return log(false, 'Chưa có mã / No code to scan');
  if (!selected) return log(false, 'Chưa chọn máy quét / No scanner selected');
  const body = { scanner: selected, code, aim: $('aim').checked };
  if ($('suffix').value) body.suffix = $('suffix').value;
  if (times > 1) body.times = times;
  const r = await post('/api/scan', body);
  const picked = $('sample').selectedOptions[0];
  const label = picked?.value && picked.value === code ? picked.textContent : `${code.slice(0, 24)}${code.length > 24 ? '…' : ''}`;
  log(r.ok, `${times > 1 ? `repeat ×${times}` : 'scan'} → ${selected}: ${label}${r.ok ? '' : ` — ${r.message}`}`);
  document.body.dataset.lastAction = r.ok ? 'ok' : 'error';
}

$('scan-btn').addEventListener('click', () => scan(1));
$('repeat-btn').addEventListener('click', () => scan(Math.min(50, Math.max(2, Number($('times').value) || 5))));
$('garbage-btn').addEventListener('click', async () => {
  if (!selected) return log(false, 'Chưa chọn máy quét / No scanner selected');
  const bytes = Math.min(1_048_576, Math.max(1, Number($('garbage-bytes').value) || 64));
  const r = await post('/api/garbage', { scanner: selected, bytes });
  log(r.ok, `garbage ${bytes} B → ${selected}${r.ok ? '' : ` — ${r.message}`}`);
});
// A code typed or pasted by hand is no longer the picked sample.
$('code').addEventListener('input', () => {
  if ($('sample').value !== codeToScan()) $('sample').value = '';
});
$('sample').addEventListener('change', (e) => {
  $('code').value = e.target.value;
});

const samples = await fetch('/api/samples').then((r) => (r.ok ? r.json() : [])).catch(() => []);
$('sample').append(...samples.map((s) => el('option', { value: s.code }, s.label)));
await refresh();
document.body.dataset.ready = 'true';
setInterval(refresh, 1000);
