import type { SqlDialect } from '../../db/sql-client.js';

/**
 * The few SQL spellings the audit, report and notice queries need that SQLite and PostgreSQL do not share.
 * Everything else in those queries is written once (server/db/sql-client.ts lists the portable rules).
 */

/**
 * "the stored reason list `col` holds the code whose needle is in parameter `param`": the list is a
 * JSON array's text (shared/journal-record/reasons-text.ts), the needle the code in its quotes
 * (reasonNeedle), so a code never matches inside a longer one. An exact substring test, not LIKE:
 * SQLite's LIKE ignores case and `_` (in every reason code) is a wildcard. SQLite spells it
 * instr(haystack, needle), PostgreSQL strpos(haystack, needle).
 */
export function reasonListHas(dialect: SqlDialect, col: string, param: string): string {
  const fn = dialect === 'postgres' ? 'strpos' : 'instr';
  return `${fn}(${col}, ${param}) > 0`;
}

/** The needle `reasonListHas` looks for. */
export { reasonNeedle } from '../../../shared/journal-record/reasons-text.js';

/** The smaller of two values: SQLite's scalar min(a, b) is PostgreSQL's LEAST(a, b) (min is only an aggregate there). */
export function least(dialect: SqlDialect, a: string, b: string): string {
  return dialect === 'postgres' ? `LEAST(${a}, ${b})` : `min(${a}, ${b})`;
}
