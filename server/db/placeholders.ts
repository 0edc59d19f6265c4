import type { SqlParams, SqlValue } from './sql-client.js';

/**
 * Rewrite portable SQL (`?` and `@name` parameters) to PostgreSQL's numbered `$n`, leaving quoted
 * literals ('…', "…") and `--` comments alone. Named parameters used twice get one number. The
 * result is cached per SQL text by the caller.
 */
export interface NumberedSql {
  text: string;
  /** how to build the values array: positional index or parameter name, per $n */
  order: Array<number | string>;
}

export function numberPlaceholders(sql: string): NumberedSql {
  let text = '';
  const order: Array<number | string> = [];
  const named = new Map<string, number>();
  let positional = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      text += sql.slice(i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      const end = nl < 0 ? sql.length : nl;
      text += sql.slice(i, end);
      i = end;
    } else if (c === '?') {
      order.push(positional++);
      text += `$${order.length}`;
      i++;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /\w/.test(sql[j]!)) j++;
      const name = sql.slice(i + 1, j);
      let n = named.get(name);
      if (n === undefined) {
        order.push(name);
        n = order.length;
        named.set(name, n);
      }
      text += `$${n}`;
      i = j;
    } else {
      text += c;
      i++;
    }
  }
  if (positional > 0 && named.size > 0) throw new Error('SQL mixes ? and @name parameters');
  return { text, order };
}

function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2; // doubled quote inside the literal
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

export function valuesFor(order: Array<number | string>, params: SqlParams | undefined): SqlValue[] {
  if (order.length === 0) return [];
  if (params === undefined) throw new Error('SQL has parameters but none were given');
  if (Array.isArray(params)) {
    const list = params as readonly SqlValue[];
    if (list.length !== order.length) throw new Error(`SQL has ${order.length} parameters, ${list.length} given`);
    return order.map((k) => list[k as number]!);
  }
  const byName = params as Readonly<Record<string, SqlValue>>;
  return order.map((k) => {
    const v = byName[k as string];
    if (v === undefined) throw new Error(`SQL parameter @${String(k)} not given`);
    return v;
  });
}
