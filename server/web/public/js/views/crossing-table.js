// One table of crossing records, shared by the live feed, the search and the trace.
import { reasonLabel } from '../api.js';
import { badge, h, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';
import { term } from '../words.js';

export const verdictLabel = (v) => term('verdict', v);
const dirLabel = (d) => (d ? term('direction', d) : '—');
const kindLabel = (k) => term('crossingKind', k);

// A station journals how it closed a crossing as `closedBy=<how>`: say it in words.
const noteLabel = (note) => {
  const how = /^closedBy=(.+)$/.exec(note ?? '')?.[1];
  return how ? term('closedBy', how) : note;
};

export function crossingTable(items, { empty } = {}) {
  return table([
    [L('Thời điểm', 'Time'), (c) => fmtTime(c.at)],
    [L('Chốt · làn', 'Checkpoint · lane'), (c) => `${c.checkpointId ?? '—'} · ${c.lane ?? '—'} (${dirLabel(c.direction)})`],
    [L('Kết quả', 'Verdict'), (c) => badge(verdictLabel(c.verdict), c.verdict)],
    [L('Loại', 'Kind'), (c) => kindLabel(c.kind)],
    [L('Biển số', 'Plate'), (c) => (c.plate ? h('span', { style: 'white-space:nowrap' }, c.plate) : '—')],
    [L('Người', 'Person'), (c) => c.citizenId ?? '—'],
    [L('Giấy phép', 'Pass'), (c) => (c.passId ? `#${c.passId}${c.passVersion ? ` v${c.passVersion}` : ''}` : '—')],
    [L('Lý do', 'Reasons'), (c) => (c.reasons ?? []).map(reasonLabel).join('; ') || '—'],
    [L('Cán bộ · ghi chú', 'Officer · note'), (c) => [c.officer, noteLabel(c.note)].filter(Boolean).join(' · ') || '—'],
    [L('Trạm', 'Station'), (c) => `${c.stationId ?? '—'}${c.seq ? ` #${c.seq}` : ''}`],
  ], items, { empty: empty ?? L('Không có lượt nào.', 'No crossings.'), wide: true, rowClass: (c) => (c.verdict === 'DENY' ? 'bad' : c.verdict === 'REVIEW' ? 'warn' : '') });
}
