import type { SqlDialect } from '../../db/sql-client.js';

/**
 * The few SQL spellings the audit, report and notice queries need that SQLite and PostgreSQL do not share.
 * Everything else in those queries is written once (server/db/sql-client.ts lists the portable rules).
 */

/**
 * "the comma-joined reason list `col` holds the code in parameter `param`" (the parameter is `,CODE,`).
 * An exact substring test, not LIKE: SQLite's LIKE ignores case and `_` (in every reason code) is a wildcard.
 * SQLite spells it instr(haystack, needle), PostgreSQL strpos(haystack, needle).
 */
export function reasonListHas(dialect: SqlDialect, col: string, param: string): string {
  const fn = dialect === 'postgres' ? 'strpos' : 'instr';
  return `${fn}(',' || ${col} || ',', ${param}) > 0`;
}

/** The needle `reasonListHas` looks for. */
export const reasonNeedle = (code: string): string => `,${code},`;

/** The smaller of two values: SQLite's scalar min(a, b) is PostgreSQL's LEAST(a, b) (min is only an aggregate there). */
export function least(dialect: SqlDialect, a: string, b: string): string {
  return dialect === 'postgres' ? `LEAST(${a}, ${b})` : `min(${a}, ${b})`;
}
