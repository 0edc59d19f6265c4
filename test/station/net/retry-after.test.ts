import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../../station/net/retry-after.js';

const now = Date.UTC(2021, 8, 1, 8, 0, 0);

describe('a busy server\'s Retry-After', () => {
  it('reads delta-seconds and an HTTP date', () => {
    expect(retryAfterMs('7', '', now)).toBe(7000);
    expect(retryAfterMs(' 0 ', '', now)).toBe(0);
    expect(retryAfterMs(new Date(now + 12_000).toUTCString(), '', now)).toBe(12_000);
    expect(retryAfterMs(new Date(now - 5000).toUTCString(), '', now)).toBe(0); // a date passed: at once
  });

  it('falls back to the error body\'s retryAfterSeconds when the header is absent or unreadable', () => {
    const body = JSON.stringify({ statusCode: 503, code: 'INGEST_BUSY', retryAfterSeconds: 3 });
    expect(retryAfterMs(null, body, now)).toBe(3000);
    expect(retryAfterMs(undefined, body, now)).toBe(3000);
    expect(retryAfterMs('soon', body, now)).toBe(3000);
    expect(retryAfterMs('4', body, now)).toBe(4000); // the header wins
  });

  it('gives null when neither says, and never more than the cap', () => {
    expect(retryAfterMs(null, 'not json', now)).toBeNull();
    expect(retryAfterMs(null, JSON.stringify({ retryAfterSeconds: -1 }), now)).toBeNull();
    expect(retryAfterMs(null, JSON.stringify({ retryAfterSeconds: '3' }), now)).toBeNull();
    expect(retryAfterMs('-3', '', now)).toBeNull();
    expect(retryAfterMs('86400', '', now)).toBe(MAX_RETRY_AFTER_MS);
  });
});
