-- Reason codes were stored comma-joined here and as a JSON array's text at the station: one encoding
-- now, the JSON array (shared/journal-record/reasons-text.ts), so `EXPIRED,TEST_REQUIRED` becomes
-- `["EXPIRED","TEST_REQUIRED"]` and an empty list `[]`. Codes are identifiers (letters, digits, `_`),
-- so no code needs escaping inside its quotes. A row already in the new form is left alone.
UPDATE journal
SET reasons = CASE WHEN reasons = '' THEN '[]' ELSE '["' || replace(reasons, ',', '","') || '"]' END
WHERE substr(reasons, 1, 1) <> '[';
