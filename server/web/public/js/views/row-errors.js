// An import refused for bad rows: the server's message and one line per bad row, with every wrong
// cell of the row listed in the chosen language.
import { errorText } from '../api.js';
import { fill, h, table } from '../dom.js';
import { L } from '../i18n.js';

const problems = (r) => {
  if (Array.isArray(r.errors) && r.errors.length) return h('ul', { class: 'cell-errors' }, r.errors.map((e) => h('li', {}, L(e.messageVi ?? e.message, e.message))));
  return L(r.messageVi ?? r.message, r.message);
};

export function rowErrors(err) {
  const rows = Array.isArray(err?.body?.rows) ? err.body.rows : [];
  return fill(h('div', { 'data-testid': 'row-errors' }),
    h('div', { class: 'error' }, errorText(err)),
    rows.length ? table([
      [L('Dòng dữ liệu', 'Row'), (r) => (r.row ? String(r.row) : '—')],
      [L('Dòng trong tệp', 'File line'), (r) => (r.line ? String(r.line) : '—')],
      [L('Lỗi', 'Error'), problems],
    ], rows) : null);
}
