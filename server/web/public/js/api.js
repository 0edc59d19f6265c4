// The JSON API, called with the session cookie; state-changing calls carry the CSRF token the server
// gave at sign-in (or at /auth/me after a reload).
import { L } from './i18n.js';

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body ?? {};
  }
}

/** The message for people, in the chosen language. */
export function errorText(err) {
  if (err instanceof ApiError) {
    const b = err.body;
    return L(b.messageVi ?? b.message ?? `Lỗi ${err.status}`, b.message ?? `Error ${err.status}`);
  }
  return L('Không kết nối được máy chủ', 'Cannot reach the server') + (err?.message ? ` (${err.message})` : '');
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * api('POST', '/api/v1/passes', { json }) → parsed body. `text` with `contentType` sends raw text
 * (CSV imports). Non-2xx answers throw ApiError with the server's bilingual message.
 */
export async function api(method, path, { json, text, contentType } = {}) {
  const headers = { accept: 'application/json' };
  let body;
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (text !== undefined) {
    headers['content-type'] = contentType ?? 'text/plain; charset=utf-8';
    body = text;
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  const type = res.headers.get('content-type') ?? '';
  const data = res.status === 204 ? null : type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : { message: String(data).slice(0, 300) });
  return data;
}

let meta = null;
/** Goods categories, reason texts and thresholds, from the server's shared definitions. */
export async function loadMeta() {
  meta ??= await api('GET', '/app/meta.json');
  return meta;
}

export function reasonLabel(code) {
  const r = meta?.reasons?.[code];
  return r ? L(r.vi, r.en) : code;
}

export function goodsLabel(i) {
  const g = meta?.goods?.[i];
  return g ? L(g.vi, g.en) : String(i);
}
