// Vietnam time (UTC+7 all year, no daylight saving) whatever this browser's zone: every time on screen
// is written dd/mm/yyyy HH:mm, and every time typed in is read as Vietnam time. Same rules as
// shared/time/vietnam-time.ts on the server (CSV exports, reports).
const OFFSET = 7 * 3_600_000;
const pad = (n) => String(n).padStart(2, '0');

function parts(ms) {
  const t = new Date(ms + OFFSET);
  return { d: pad(t.getUTCDate()), m: pad(t.getUTCMonth() + 1), y: String(t.getUTCFullYear()), hh: pad(t.getUTCHours()), mm: pad(t.getUTCMinutes()), ss: pad(t.getUTCSeconds()) };
}

export function vnDateTime(ms, { seconds = false } = {}) {
  if (ms === null || ms === undefined) return '—';
  const p = parts(ms);
  return `${p.d}/${p.m}/${p.y} ${p.hh}:${p.mm}${seconds ? `:${p.ss}` : ''}`;
}

export function vnDate(ms) {
  if (ms === null || ms === undefined) return '—';
  const p = parts(ms);
  return `${p.d}/${p.m}/${p.y}`;
}

/** "30/11 08h", for chart axes. */
export function vnHourLabel(ms) {
  const p = parts(ms);
  return `${p.d}/${p.m} ${p.hh}h`;
}

/** 2026-11-30: the Vietnam calendar day of an instant. */
export function vnDay(ms) {
  const p = parts(ms);
  return `${p.y}-${p.m}-${p.d}`;
}

/** The value to show in a date-time text box: "30/11/2026 08:00". */
export function toVnInput(ms) {
  return ms === null || ms === undefined ? '' : vnDateTime(ms);
}

/**
 * "30/11/2026", "30/11/2026 08:00" (or ISO "2026-11-30T08:00") read as Vietnam time → ms;
 * '' → undefined; anything else → NaN, so a form can say the date is not valid.
 */
export function fromVnInput(text) {
  const s = String(text ?? '').trim();
  if (!s) return undefined;
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T,]+(\d{1,2}):(\d{2}))?$/.exec(s);
  if (m) return build(+m[3], +m[2], +m[1], +(m[4] ?? 0), +(m[5] ?? 0));
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(s);
  if (m) return build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0));
  return NaN;
}

function build(y, mo, d, hh, mi) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mi > 59) return NaN;
  const utc = Date.UTC(y, mo - 1, d, hh, mi);
  const back = new Date(utc);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return NaN;
  return utc - OFFSET;
}
