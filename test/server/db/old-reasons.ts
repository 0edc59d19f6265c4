/** Journal rows as the server stored them before migration journal_reasons_json: reasons comma-joined, '' for none. */
export const OLD_REASONS = ['TEST_REQUIRED,ORIGIN_ZONE_RESTRICTED,POSITIVE_OR_CONTACT', '', 'EXPIRED'];
/** the same rows' reasons after it */
export const NEW_REASONS = ['["TEST_REQUIRED","ORIGIN_ZONE_RESTRICTED","POSITIVE_OR_CONTACT"]', '[]', '["EXPIRED"]'];
export const DECODED = [['TEST_REQUIRED', 'ORIGIN_ZONE_RESTRICTED', 'POSITIVE_OR_CONTACT'], [], ['EXPIRED']];

/** An old row's insert with (seq, at, received_at, reasons) as parameters: `?` for SQLite, `$` for node-postgres. */
export function oldRowInsert(style: '?' | '$'): string {
  const p = (n: number) => (style === '?' ? '?' : `$${n}`);
  return `INSERT INTO journal (station_id, seq, prev_hash, hash, at, received_at, checkpoint_id, province, kind, lane, direction, verdict,
    reasons, code_kind, citizen_id, policy_version, hash_ok)
    VALUES ('chot-7901', ${p(1)}, 'p', 'h', ${p(2)}, ${p(3)}, 7901, 79, 'scan', 'L1', 'entry', 'DENY', ${p(4)}, 'health', '079000000042', 1, ${style === '?' ? '1' : 'true'})`;
}
