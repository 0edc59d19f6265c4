// Small SVG charts drawn from data: stacked bars over time and horizontal bars. Text goes in as
// textContent like everywhere else.
const NS = 'http://www.w3.org/2000/svg';
const COLORS = ['#0b5394', '#e69138', '#6aa84f', '#a64d79', '#45818e', '#cc0000', '#7f6000', '#674ea7'];

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Four whole-number steps that cover n: 1-2-5 × 10^k per step. */
const niceMax = (n) => {
  const want = Math.max(1, n / 4);
  const p = 10 ** Math.floor(Math.log10(want));
  const step = [1, 2, 5, 10].map((m) => m * p).find((v) => v >= want);
  return Math.max(4, Math.ceil(step) * 4);
};

/** rows: [{ x (label), series (key), value }]; the x axis is `xs` if given, else x in order of first appearance. */
export function stackedBars(rows, { xs: givenXs, width = 640, height = 280, seriesLabel = (k) => String(k), title = '', series: givenSeries, colorOf } = {}) {
  const xs = givenXs ?? [...new Set(rows.map((r) => r.x))];
  const series = givenSeries ?? [...new Set(rows.map((r) => r.series))];
  const color = (k, si) => colorOf?.(k) ?? COLORS[si % COLORS.length];
  const totals = new Map(xs.map((x) => [x, 0]));
  for (const r of rows) totals.set(r.x, (totals.get(r.x) ?? 0) + r.value);
  const max = niceMax(Math.max(0, ...totals.values()));
  const left = 40, right = 10, top = 24, bottom = 56;
  const plotW = width - left - right, plotH = height - top - bottom;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': title });
  for (let i = 0; i <= 4; i++) {
    const y = top + plotH - (plotH * i) / 4;
    svg.append(s('line', { x1: left, x2: width - right, y1: y, y2: y, stroke: '#dde3ea' }), s('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, String((max * i) / 4)));
  }
  const band = plotW / Math.max(1, xs.length);
  const barW = Math.max(2, Math.min(36, band * 0.7));
  const labelEvery = Math.ceil(xs.length / 12);
  xs.forEach((x, i) => {
    let y = top + plotH;
    const cx = left + band * i + band / 2;
    series.forEach((k, si) => {
      const v = rows.filter((r) => r.x === x && r.series === k).reduce((a, r) => a + r.value, 0);
      if (!v) return;
      const hgt = (plotH * v) / max;
      y -= hgt;
      const rect = s('rect', { x: cx - barW / 2, y, width: barW, height: hgt, fill: color(series[si], si) });
      rect.append(s('title', {}, `${x} · ${seriesLabel(k)}: ${v}`));
      svg.append(rect);
    });
    if (i % labelEvery === 0) svg.append(s('text', { x: cx, y: top + plotH + 14, 'text-anchor': 'middle' }, x));
  });
  series.forEach((k, si) => {
    const lx = left + (si % 4) * (plotW / 4);
    const ly = height - 22 + Math.floor(si / 4) * 14;
    svg.append(s('rect', { x: lx, y: ly - 9, width: 10, height: 10, fill: color(k, si) }), s('text', { x: lx + 14, y: ly }, seriesLabel(k)));
  });
  if (rows.length === 0) svg.append(s('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, '—'));
  return svg;
}

/** rows: [{ label, value }] as horizontal bars, largest first. */
export function horizontalBars(rows, { width = 640, title = '' } = {}) {
  const sorted = [...rows].sort((a, b) => b.value - a.value);
  const rowH = 24, labelW = 300, top = 8;
  const height = Math.max(60, top * 2 + sorted.length * rowH);
  const max = niceMax(Math.max(0, ...sorted.map((r) => r.value)));
  const plotW = width - labelW - 50;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': title });
  sorted.forEach((r, i) => {
    const y = top + i * rowH;
    const w = (plotW * r.value) / max;
    svg.append(
      s('text', { x: labelW - 8, y: y + 15, 'text-anchor': 'end' }, r.label.length > 48 ? `${r.label.slice(0, 47)}…` : r.label),
      s('rect', { x: labelW, y: y + 3, width: Math.max(1, w), height: rowH - 8, fill: '#b3261e' }),
      s('text', { x: labelW + w + 6, y: y + 15 }, String(r.value)));
  });
  if (sorted.length === 0) svg.append(s('text', { x: width / 2, y: 34, 'text-anchor': 'middle' }, '—'));
  return svg;
}
