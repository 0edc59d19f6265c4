import { bigint } from 'drizzle-orm/pg-core';

/**
 * Milliseconds since the epoch and sequence numbers: `bigint` read as a JS number. Both stay far below
 * 2^53 (a millisecond time until the year 287,396), so the number mode loses nothing.
 */
export const ms = (name: string) => bigint(name, { mode: 'number' });
export const seqNo = ms;
