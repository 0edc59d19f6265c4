// The fleet of stations for the command center: heartbeat and cache age, backlog, clock skew,
// scanners, warnings; plus the open alerts (chain breaks, conflicts, cloned passes).
import { api, errorText } from '../api.js';
import { badge, fill, h, table } from '../dom.js';
import { L, fmtAge, fmtTime } from '../i18n.js';
import { provinceName } from '../words.js';

const POLL_MS = 5000;
const STALE = new Set(['HEARTBEAT_STALE', 'NO_HEARTBEAT']);
const scannerKind = (k) => ({ serial: L('cổng COM', 'serial'), evdev: L('bàn phím USB', 'USB keyboard'), screen: L('bàn phím trên màn hình', 'keyboard on screen'), camera: L('camera', 'camera') }[k ?? 'serial'] ?? k);
const scannerLabel = (s) => ({ connected: L('kết nối', 'connected'), unplugged: L('bị rút', 'unplugged'), opening: L('đang mở', 'opening'), error: L('lỗi', 'error') }[s] ?? s);
const passRefOf = (a) => (a.passProvince ? `${String(a.passProvince).padStart(2, '0')}-${a.passId}` : `#${a.passId}`);

/** A clone in words: where the pass entered first, where again; the stored (developer) text behind "details". */
function alertText(a) {
  const d = a.details;
  if (a.kind !== 'CLONE' || !d?.first || !d?.second) return a.message;
  const at = (c) => `${L('chốt', 'checkpoint')} ${c.checkpointId}${d.national ? ` (${provinceName(c.province)})` : ''} ${L('lúc', 'at')} ${fmtTime(c.at)}`;
  return h('div', {},
    L(`Giấy phép ${passRefOf(a)} vào ${at(d.first)}, rồi lại vào ${at(d.second)} khi chưa ra`, `Pass ${passRefOf(a)} entered at ${at(d.first)}, then again at ${at(d.second)} without leaving`),
    h('details', {}, h('summary', {}, L('Chi tiết kỹ thuật', 'Technical details')), a.message));
}

const kindLabel = (k) => ({ CHAIN_BREAK: L('Đứt chuỗi nhật ký', 'Journal chain break'), SEQ_CONFLICT: L('Xung đột bản ghi', 'Record conflict'), CLONE: L('Nghi mã bị sao chép', 'Possible cloned pass') }[k] ?? k);

function stateBadge(s) {
  if (s.disabled) return badge(L('Vô hiệu', 'Disabled'), 'bad');
  if (s.warnings.some((w) => STALE.has(w.code))) return h('span', { 'data-testid': 'stale' }, badge(L('Mất tín hiệu', 'Stale'), 'bad'));
  return s.warnings.length ? badge(L('Cảnh báo', 'Warning'), 'warn') : badge(L('Bình thường', 'OK'), 'ok');
}

function fleetTable(fleet) {
  return table([
    [L('Trạm', 'Station'), (s) => h('div', {}, h('strong', {}, s.stationId), h('div', { class: 'muted' }, `${s.name} · ${L('chốt', 'checkpoint')} ${s.checkpointId}`))],
    [L('Tình trạng', 'State'), stateBadge],
    [L('Tín hiệu cuối', 'Heartbeat age'), (s) => fmtAge(s.heartbeatAgeMs)],
    [L('Tuổi dữ liệu đệm', 'Cache age'), (s) => fmtAge(s.cacheAgeMs)],
    [L('Chờ gửi', 'Backlog'), (s) => (s.outboxBacklog === null ? '—' : String(s.outboxBacklog))],
    // skew = server time − station clock: positive means the station's clock is behind
    [L('Lệch đồng hồ', 'Clock skew'), (s) => (s.clockSkewMs === null ? '—'
      : `${fmtAge(Math.abs(s.clockSkewMs))} ${s.clockSkewMs >= 0 ? L('chậm', 'behind') : L('nhanh', 'ahead')}`)],
    [L('Máy quét', 'Scanners'), (s) => (s.scanners.length ? h('div', {}, s.scanners.map((sc) => h('div', { 'data-kind': sc.kind ?? 'serial' }, `${sc.id} · ${scannerKind(sc.kind)} (${sc.lane}): `, badge(scannerLabel(sc.state), sc.state === 'connected' ? 'ok' : 'bad')))) : '—')],
    [L('Phiên bản', 'Version'), (s) => s.softwareVersion ?? '—'],
    [L('Cảnh báo', 'Warnings'), (s) => (s.warnings.length ? h('ul', { class: 'warnings' }, s.warnings.map((w) => h('li', { 'data-code': w.code }, L(w.messageVi, w.message)))) : '—')],
  ], fleet, {
    empty: L('Chưa có trạm nào.', 'No stations.'),
    wide: true,
    rowClass: (s) => (s.disabled || s.warnings.some((w) => STALE.has(w.code)) ? 'bad' : s.warnings.length ? 'warn' : ''),
  });
}

export async function renderFleet(main, ctx) {
  const box = h('div', { 'data-testid': 'fleet' });
  const alertsBox = h('div');
  const stamp = h('span', { class: 'muted' });
  let stopped = false;
  let timer = null;
  const loadAlerts = async () => {
    const alerts = await api('GET', '/api/v1/alerts?open=true&limit=50');
    fill(alertsBox, table([
      [L('Thời điểm', 'When'), (a) => fmtTime(a.createdAt)],
      [L('Loại', 'Kind'), (a) => badge(kindLabel(a.kind), 'bad')],
      [L('Trạm', 'Station'), (a) => `${a.stationId ?? '—'}${a.seq ? ` #${a.seq}` : ''}`],
      [L('Giấy phép', 'Pass'), (a) => (a.passId ? passRefOf(a) : '—')],
      [L('Chi tiết', 'Details'), alertText],
      ['', (a) => h('button', { type: 'button', class: 'secondary', on: { click: async () => {
        await api('POST', `/api/v1/alerts/${a.id}/acknowledge`).catch(() => undefined);
        await loadAlerts();
      } } }, L('Đã xử lý', 'Acknowledge'))],
    ], alerts, { empty: L('Không có cảnh báo mở.', 'No open alerts.') }));
  };
  const tick = async () => {
    try {
      const fleet = await api('GET', '/api/v1/stations');
      if (stopped) return;
      fill(box, fleetTable(fleet));
      stamp.textContent = L(`Cập nhật lúc ${fmtTime(Date.now())}`, `Updated ${fmtTime(Date.now())}`);
      await loadAlerts();
    } catch (err) {
      if (!stopped) fill(box, h('div', { class: 'error' }, errorText(err)));
    }
    if (!stopped) timer = setTimeout(tick, POLL_MS);
  };
  ctx.onLeave(() => { stopped = true; clearTimeout(timer); });
  fill(main,
    h('div', { class: 'row', style: 'justify-content:space-between' }, h('h1', {}, L('Tình trạng các trạm', 'Station fleet')),
      h('div', { class: 'row' }, stamp, h('button', { type: 'button', class: 'secondary', on: { click: () => { clearTimeout(timer); void tick(); } } }, L('Làm mới', 'Refresh')))),
    box, h('h2', {}, L('Cảnh báo mở', 'Open alerts')), alertsBox);
  await tick();
}
