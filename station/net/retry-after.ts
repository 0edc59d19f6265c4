/**
 * How long a busy server asked us to wait, from its Retry-After header (delta-seconds or an HTTP
 * date) or, when a transport does not pass headers on, the `retryAfterSeconds` of its error body. The
 * wait is capped: a bogus or hostile answer must not stop a station's uploads for a day.
 */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

export function retryAfterMs(header: string | null | undefined, body: string, now: number): number | null {
  const fromHeader = header == null ? null : parseHeader(header.trim(), now);
  const ms = fromHeader ?? fromBody(body);
  return ms === null ? null : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

function parseHeader(value: string, now: number): number | null {
  if (/^\d{1,9}$/.test(value)) return Number(value) * 1000;
  // an HTTP date has a weekday name, a day and a time; a bare number or noise does not
  if (!/^[A-Za-z]{3},/.test(value)) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : at - now;
}

function fromBody(body: string): number | null {
  if (body.length > 10_000) return null;
  try {
    const parsed: unknown = JSON.parse(body);
    const s = typeof parsed === 'object' && parsed !== null ? (parsed as { retryAfterSeconds?: unknown }).retryAfterSeconds : undefined;
    return typeof s === 'number' && Number.isFinite(s) && s >= 0 ? s * 1000 : null;
  } catch {
    return null;
  }
}
