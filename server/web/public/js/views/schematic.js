// A schematic of the province's checkpoints drawn from their coordinates (no map tiles: the command
// center may be offline): one dot per station, coloured by its live state, with today's refusals.
import { h } from '../dom.js';
import { L } from '../i18n.js';

const NS = 'http://www.w3.org/2000/svg';
const s = (tag, attrs = {}, text) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
};

const BAD = new Set(['DISABLED', 'NO_HEARTBEAT', 'HEARTBEAT_STALE', 'CHAIN_BREAK', 'CLONE']);
/** 'bad' when the station is silent, disabled or its journal is in doubt; 'warn' for any other warning. */
export const stateOf = (st) => (st.warnings.some((w) => BAD.has(w.code)) ? 'bad' : st.warnings.length > 0 ? 'warn' : 'ok');
const STATE = {
  ok: { fill: '#1e7b34', vi: 'Hoạt động bình thường', en: 'Working' },
  warn: { fill: '#e69138', vi: 'Có cảnh báo', en: 'Warnings' },
  bad: { fill: '#b3261e', vi: 'Mất tín hiệu hoặc có sự cố', en: 'Silent or in trouble' },
};

/** stations: the fleet (with latitude/longitude); today: per-checkpoint totals of the live feed. */
export function schematic(stations, today, { width = 640, height = 360 } = {}) {
  const placed = stations.filter((st) => st.latitude !== null && st.longitude !== null);
  const unplaced = stations.filter((st) => st.latitude === null || st.longitude === null);
  const denied = new Map(today.map((t) => [t.checkpointId, t.deny]));
  const svg = s('svg', { class: 'schematic', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': L('Sơ đồ các chốt', 'Checkpoint schematic'), 'data-testid': 'schematic' });
  svg.append(s('rect', { x: 0, y: 0, width, height, fill: '#f6f8fa', stroke: '#d5dbe2' }));
  if (placed.length > 0) {
    // equirectangular, x scaled by cos(latitude) so distances look right at Vietnam's latitudes
    const lat0 = placed.reduce((a, st) => a + st.latitude, 0) / placed.length;
    const k = Math.cos((lat0 * Math.PI) / 180);
    const xs = placed.map((st) => st.longitude * k);
    const ys = placed.map((st) => st.latitude);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const pad = 60;
    const span = Math.max(maxX - minX, maxY - minY, 0.01);
    const scale = Math.min((width - 2 * pad) / span, (height - 2 * pad) / span);
    const cx = (width - (maxX - minX) * scale) / 2;
    const cy = (height - (maxY - minY) * scale) / 2;
    placed.forEach((st, i) => {
      const x = cx + (xs[i] - minX) * scale;
      const y = height - (cy + (ys[i] - minY) * scale);
      const state = stateOf(st);
      const g = s('g', { 'data-station': st.stationId, 'data-state': state });
      g.append(s('title', {}, `${st.name} · ${L(STATE[state].vi, STATE[state].en)}`));
      g.append(s('circle', { cx: x, cy: y, r: 11, fill: STATE[state].fill, stroke: '#fff', 'stroke-width': 2 }));
      g.append(s('text', { x, y: y + 4, 'text-anchor': 'middle', fill: '#fff', 'font-size': 10, 'font-weight': 700 }, String(st.checkpointId).slice(-2)));
      g.append(s('text', { x, y: y - 16, 'text-anchor': 'middle', 'font-size': 12 }, st.name));
      const n = denied.get(st.checkpointId) ?? 0;
      g.append(s('text', { x, y: y + 26, 'text-anchor': 'middle', 'font-size': 11, fill: n > 0 ? '#b3261e' : '#5e6b7a' }, L(`${n} không cho qua hôm nay`, `${n} refused today`)));
      svg.append(g);
    });
  } else {
    svg.append(s('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, L('Chưa có chốt nào có tọa độ.', 'No checkpoint has coordinates yet.')));
  }
  const legend = h('div', { class: 'row muted' }, Object.values(STATE).map((st) =>
    h('span', {}, h('span', { class: 'dot', style: `background:${st.fill}` }), ' ', L(st.vi, st.en))));
  return h('div', {}, svg, legend,
    unplaced.length > 0 ? h('p', { class: 'muted' }, L('Chưa có tọa độ: ', 'No coordinates: '), unplaced.map((st) => st.name).join(', ')) : null);
}
