import { describe, expect, it } from 'vitest';
import { estimateRecords, IngestAdmission, RETRY_AFTER_MAX_S, RETRY_AFTER_MIN_S } from '../../../../server/services/ingest/admission.js';

function admission(maxRecords: number, nominalRecordsPerSec = 25_000) {
  let now = 1_000_000;
  const a = new IngestAdmission({ maxRecords, clock: () => now, nominalRecordsPerSec, windowMs: 5000 });
  return Object.assign(a, { advance: (ms: number) => void (now += ms) });
}

describe('ingest admission control', () => {
  it('refuses an upload once the records held reach the bound, and admits again once some are answered', () => {
    const a = admission(3000);
    const tickets = [a.admit(1000), a.admit(1000), a.admit(1000)];
    expect(tickets.every((t) => t !== null)).toBe(true);
    expect(a.held).toBe(3000);
    expect(a.admit(1)).toBeNull();
    expect(a.held).toBe(3000);
    tickets[0]!.done(true);
    expect(a.held).toBe(2000);
    expect(a.admit(1000)).not.toBeNull();
    expect(a.admit(1000)).toBeNull();
  });

  it('lets one upload in past an empty queue however large, so a bound below a batch cannot stop ingest', () => {
    const a = admission(100);
    const t = a.admit(1000);
    expect(t).not.toBeNull();
    expect(a.admit(1)).toBeNull();
    t!.done(true);
    expect(a.held).toBe(0);
    expect(a.admit(1000)).not.toBeNull();
  });

  it('settles a reservation to the records the body really held, and releases a ticket once only', () => {
    const a = admission(5000);
    const t = a.admit(1000)!;
    t.settle(10);
    expect(a.held).toBe(10);
    const u = a.admit(1000)!;
    t.done(false);
    t.done(true);
    t.settle(500); // after done: no effect
    expect(a.held).toBe(1000);
    u.done(true);
    expect(a.held).toBe(0);
  });

  it('asks for a wait within range, until the queue is down to half its bound, that grows with the queue depth at the nominal rate', () => {
    const a = admission(40_000, 25_000);
    const waits: number[] = [];
    // (depth - 20,000) / 25,000 records/s, rounded up, within 1-10 s
    for (const depth of [100, 60_000, 120_000, 200_000, 5_000_000]) {
      const t = a.admit(depth)!;
      waits.push(a.retryAfterSeconds());
      t.done(false);
    }
    expect(waits).toEqual([RETRY_AFTER_MIN_S, 2, 4, 8, RETRY_AFTER_MAX_S]);
    expect(RETRY_AFTER_MAX_S).toBe(10);
  });

  it('estimates the wait from the drain rate measured while busy', () => {
    const a = admission(21_000, 25_000);
    const backlog = Array.from({ length: 21 }, () => a.admit(1000)!);
    // 5,000 records answered over 2 s: 2,500 records/s, a tenth of the nominal rate
    for (let i = 0; i < 5; i++) {
      a.advance(400);
      backlog[i]!.done(true);
    }
    expect(a.drainRate()).toBeCloseTo(2500, 6);
    expect(a.held).toBe(16_000);
    expect(a.retryAfterSeconds()).toBe(3); // (16,000 - 10,500) / 2,500 = 2.2 s
  });

  it('counts every answer when many come within the same tenth of a second', () => {
    const a = admission(10_000_000, 25_000);
    const uploads = Array.from({ length: 51 }, () => a.admit(100)!); // the last stays queued: busy throughout
    for (let i = 0; i < 10; i++) {
      a.advance(100);
      for (let k = 0; k < 5; k++) uploads[i * 5 + k]!.done(true); // 500 records a tenth: 5,000/s
    }
    expect(a.drainRate()).toBeCloseTo(5000, 6);
  });

  it('uses the nominal rate until a drain has been measured for long enough, and forgets an idle spell', () => {
    const a = admission(10_000_000, 25_000);
    const t = a.admit(1000)!;
    a.advance(100);
    t.done(true);
    expect(a.drainRate()).toBe(25_000);
    // idle for 3 s (the answer above is still within the 5 s window), then busy again: an answer from
    // before the idle spell says nothing of the rate now (counted, it would make it 200 records/s)
    a.advance(3000);
    const u = a.admit(50_000)!;
    a.advance(1000);
    expect(a.drainRate()).toBe(25_000);
    u.done(true);
  });

  it('estimates an unread upload from its Content-Length, at most a full batch', () => {
    expect(estimateRecords(undefined, 1000)).toBe(1000);
    expect(estimateRecords(Number.NaN, 1000)).toBe(1000);
    expect(estimateRecords(0, 1000)).toBe(1);
    expect(estimateRecords(900, 1000)).toBe(3);
    expect(estimateRecords(50_000_000, 1000)).toBe(1000);
  });
});
