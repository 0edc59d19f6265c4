import { passRef } from '../../../shared/codes/pass-ref.js';
import { TERMS } from '../../../shared/glossary/terms.js';
import { REASONS, type ReasonCode } from '../../../shared/rules/reasons.js';
import { formatVnDateTime } from '../../../shared/time/vietnam-time.js';
import { csvLine } from './csv.js';
import type { CrossingRow } from './repository.js';

/**
 * The crossings export as people open it in a spreadsheet: a UTF-8 byte-order mark (without it Excel
 * reads the file as ANSI and garbles the Vietnamese), Vietnamese headers, Vietnam times written
 * dd/mm/yyyy HH:mm:ss, and each code beside its words (verdict, direction, reasons).
 */
export const CSV_BOM = '\uFEFF';

export const CROSSINGS_CSV_HEADER = csvLine([
  'Trạm', 'Số thứ tự', 'Chốt', 'Thời điểm tại trạm (giờ Việt Nam)', 'Máy chủ nhận lúc (giờ Việt Nam)', 'Loại bản ghi', 'Làn', 'Chiều',
  'Mã lượt qua', 'Kết quả', 'Mã kết quả', 'Lý do', 'Mã lý do', 'Loại mã', 'Số giấy phép', 'Phiên bản', 'Biển số', 'Số CCCD',
  'Cán bộ', 'Ghi chú', 'Chuỗi băm hợp lệ',
]);

const words = <K extends string>(table: Partial<Record<K, { vi: string }>>, key: string | null): string =>
  key === null ? '' : (table as Record<string, { vi: string } | undefined>)[key]?.vi ?? key;

/** A station journals how it closed a crossing as `closedBy=<how>`: say it in words. */
export function noteWords(note: string | null): string | null {
  const how = /^closedBy=(.+)$/.exec(note ?? '')?.[1];
  return how ? words(TERMS.closedBy, how) : note;
}

export function crossingCsvLine(r: CrossingRow): string {
  const codes = r.reasons;
  return csvLine([
    r.stationId, r.seq, r.checkpointId, formatVnDateTime(r.at, { seconds: true }), formatVnDateTime(r.receivedAt, { seconds: true }),
    words(TERMS.crossingKind, r.kind), r.lane, words(TERMS.direction, r.direction), r.crossingId,
    words(TERMS.verdict, r.verdict), r.verdict,
    codes.map((c) => REASONS[c as ReasonCode]?.vi ?? c).join('; '), codes.join(' '),
    // the pass as the country knows it: "79-17" (its issuing province and id)
    r.codeKind, r.passId === null ? null : r.passProvince === null ? r.passId : passRef(r.passProvince, r.passId), r.passVersion, r.plate, r.citizenId, r.officer, noteWords(r.note), r.hashOk ? 'có' : 'không',
  ]);
}
