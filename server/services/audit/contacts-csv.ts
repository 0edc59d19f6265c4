import { TERMS } from '../../../shared/glossary/terms.js';
import { formatVnDateTime } from '../../../shared/time/vietnam-time.js';
import { csvLine } from './csv.js';
import { CSV_BOM } from './crossings-csv.js';
import type { ContactList, Meeting, Relation } from './contacts.js';

/** How a contact met the case, in words. */
export const RELATION_WORDS: Record<Relation, string> = { 'same-vehicle': 'Cùng xe, cùng lượt qua chốt', 'same-lane': 'Cùng làn trong khoảng thời gian truy vết' };
const ROLE_WORDS = { driver: 'Lái xe', assistant: 'Phụ xe', person: 'Người qua chốt' } as const;

const where = (m: Meeting) => `chốt ${m.checkpointId}, làn ${m.lane}, ${formatVnDateTime(m.at)}${m.plate ? `, xe ${m.plate}` : ''}`;

/** The contact list as a spreadsheet to call from: people first, then vehicles; BOM, Vietnamese, Vietnam time. */
export function contactsCsv(list: ContactList): string {
  let out = CSV_BOM + csvLine(['Loại', 'Họ và tên / Biển số', 'Số CCCD', 'Số điện thoại', 'Vai trò / Doanh nghiệp', 'Phân loại hiện tại', 'Quan hệ với ca bệnh',
    'Lần gặp đầu (giờ Việt Nam)', 'Lần gặp cuối (giờ Việt Nam)', 'Nơi gặp']);
  for (const p of list.people) {
    out += csvLine(['Người', p.name ?? '', p.citizenId, p.phone ?? '', ROLE_WORDS[p.role], p.status ? TERMS.healthStatus[p.status].vi : 'Chưa có dữ liệu y tế',
      RELATION_WORDS[p.closest], formatVnDateTime(p.firstAt), formatVnDateTime(p.lastAt), p.meetings.map(where).join('; ')]);
  }
  for (const v of list.vehicles) {
    out += csvLine(['Phương tiện', v.plate, v.crew.map((c) => c.citizenId).join(' '), v.crew.map((c) => c.phone ?? '').filter(Boolean).join(' '),
      [v.company, v.crew.map((c) => c.name).join(', ')].filter(Boolean).join(' · '), '', RELATION_WORDS[v.closest],
      formatVnDateTime(v.firstAt), formatVnDateTime(v.lastAt), v.meetings.map(where).join('; ')]);
  }
  return out;
}
