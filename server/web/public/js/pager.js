// Paging for lists the server pages: "1–50 trên 123" and buttons for the previous and next pages.
import { h } from './dom.js';
import { L } from './i18n.js';

/** total may be a lower bound (capped: true), shown as "hơn N". */
export function pager({ offset, limit, shown, total, capped = false, onPage }) {
  const first = shown === 0 ? 0 : offset + 1;
  const last = offset + shown;
  const of = capped ? L(`hơn ${total}`, `more than ${total}`) : String(total);
  const hasNext = capped ? last < total || shown === limit : last < total;
  return h('div', { class: 'row pager', 'data-testid': 'pager' },
    h('span', { class: 'muted' }, L(`${first}–${last} trên ${of}`, `${first}–${last} of ${of}`)),
    h('button', { type: 'button', class: 'secondary', disabled: offset === 0, on: { click: () => onPage(Math.max(0, offset - limit)) } }, L('‹ Trang trước', '‹ Previous')),
    h('button', { type: 'button', class: 'secondary', disabled: !hasNext, on: { click: () => onPage(offset + limit) } }, L('Trang sau ›', 'Next ›')));
}
