// Building the page from data: every piece of text goes in as a text node (never as HTML), so names,
// plates and server messages cannot inject markup.
import { guardForm } from './validation.js';

/** h('tag', { class, on: { click }, ...attributes }, ...children) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  // the app's own Vietnamese checks, never the browser's English ones (validation.js)
  if (tag === 'form') guardForm(el);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    // an input's value attribute is also its reset value; a textarea has only the property
    else if (key === 'value' && tag === 'textarea') el.value = value;
    else if (key === 'checked') el.checked = Boolean(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replace an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A label wrapping its input, so the text names the field for screen readers and tests alike. */
export function field(text, input, cls) {
  return h('label', { class: cls }, text, input);
}

/**
 * A table from rows: columns are [header, (row) => cell content, sortKey?]; rowClass(row) may mark a row.
 * With `sort: { key, order, onSort(key) }` a column with a sortKey has a header button that sorts by it
 * (the server sorts; the button says which way). Empty lists say so instead of showing a bare header.
 */
export function table(columns, rows, { empty = '—', rowClass, wide = false, sort } = {}) {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  const head = ([text, , key]) => {
    if (!sort || !key) return h('th', {}, text);
    const current = sort.key === key;
    const aria = current ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none';
    return h('th', { 'aria-sort': aria }, h('button', { type: 'button', class: 'sort', 'data-sort': key, on: { click: () => sort.onSort(key) } },
      text, current ? (sort.order === 'asc' ? ' ▲' : ' ▼') : ' ↕'));
  };
  // wide tables keep their columns readable on a tablet and scroll sideways inside their frame
  return h('div', { class: 'table-wrap' }, h('table', { class: wide ? 'wide' : null },
    h('thead', {}, h('tr', {}, columns.map(head))),
    h('tbody', {}, rows.map((r) => h('tr', { class: rowClass?.(r) }, columns.map(([, cell]) => h('td', {}, cell(r))))))));
}

export function badge(text, kind) {
  return h('span', { class: `badge b-${kind}` }, text);
}

/** Form values as an object of trimmed strings, by input name. */
export function formValues(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) out[k] = typeof v === 'string' ? v.trim() : v;
  return out;
}

/** A two-column table of [label, value] pairs, without a header. */
export function kvTable(pairs) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'kv' },
    h('tbody', {}, pairs.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v))))));
}

/**
 * A file picker whose words are ours: the native input (whose "Choose File / No file chosen" follow
 * the browser's language) stays for the keyboard and screen readers but is drawn by its label.
 */
export function filePicker(text, accept, onFile) {
  const input = h('input', { type: 'file', accept, class: 'visually-hidden' });
  const name = h('span', { class: 'muted' }, '');
  input.addEventListener('change', () => {
    const f = input.files[0];
    name.textContent = f ? f.name : '';
    if (f) onFile(f);
  });
  return h('label', { class: 'file-picker' }, h('span', { class: 'button' }, text), input, name);
}
