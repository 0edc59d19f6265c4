// An import refused for bad rows: the server's message and one line per bad row.
import { errorText } from '../api.js';
import { fill, h, table } from '../dom.js';
import { L } from '../i18n.js';

export function rowErrors(err) {
  const rows = Array.isArray(err?.body?.rows) ? err.body.rows : [];
  return fill(h('div', { 'data-testid': 'row-errors' }),
    h('div', { class: 'error' }, errorText(err)),
    rows.length ? table([
      [L('Dòng dữ liệu', 'Row'), (r) => (r.row ? String(r.row) : '—')],
      [L('Dòng trong tệp', 'File line'), (r) => (r.line ? String(r.line) : '—')],
      [L('Lỗi', 'Error'), (r) => r.message],
    ], rows) : null);
}
