/**
 * Vietnam time (Asia/Ho_Chi_Minh) for people: UTC+7 all year (no daylight saving since 1975), so a
 * fixed offset is exact and needs no time-zone database. Every time a person reads is written
 * dd/mm/yyyy HH:mm in this zone, whatever the zone of the machine or the browser.
 */
export const VN_OFFSET_MS = 7 * 3_600_000;

const pad = (n: number): string => String(n).padStart(2, '0');

function parts(ms: number): { d: string; m: string; y: string; hh: string; mm: string; ss: string } {
  const t = new Date(ms + VN_OFFSET_MS);
  return {
    d: pad(t.getUTCDate()), m: pad(t.getUTCMonth() + 1), y: String(t.getUTCFullYear()),
    hh: pad(t.getUTCHours()), mm: pad(t.getUTCMinutes()), ss: pad(t.getUTCSeconds()),
  };
}

/** 30/11/2026 08:00 */
export function formatVnDateTime(ms: number, { seconds = false } = {}): string {
  const p = parts(ms);
  return `${p.d}/${p.m}/${p.y} ${p.hh}:${p.mm}${seconds ? `:${p.ss}` : ''}`;
}

/** 30/11/2026 */
export function formatVnDate(ms: number): string {
  const p = parts(ms);
  return `${p.d}/${p.m}/${p.y}`;
}

/** 2026-11-30, the Vietnam calendar day of an instant (for file names and report keys). */
export function vnDay(ms: number): string {
  const p = parts(ms);
  return `${p.y}-${p.m}-${p.d}`;
}

/** The instant a Vietnam calendar day "2026-11-30" starts. */
export function vnDayStart(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - VN_OFFSET_MS;
}

/**
 * A time as people write it, read as Vietnam time: "30/11/2026", "30/11/2026 08:00", "30/11/2026 8:05:09",
 * also ISO text with an offset ("2026-11-30T08:00:00+07:00") or without one (then Vietnam time).
 * Returns ms since epoch, or null when the text is not a real date and time.
 */
export function parseVnDateTime(text: string): number | null {
  const s = text.trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) return build(+m[3]!, +m[2]!, +m[1]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?$/.exec(s);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) {
    const t = Date.parse(s);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

function build(y: number, mo: number, d: number, hh: number, mi: number, ss: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mi > 59 || ss > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, hh, mi, ss);
  const back = new Date(utc);
  // 31/02 rolls over into March: not a real day
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null;
  return utc - VN_OFFSET_MS;
}
