import { describe, expect, it } from 'vitest';

import { createRequestLimits } from '../../../../src/emulator/limits/index.js';
import type { Admission, RequestTicket } from '../../../../src/emulator/limits/index.js';
import { ManualClock } from '../../../../src/shared/clock.js';
import { ConfigError } from '../../../../src/shared/errors.js';

const MINUTE = 60_000;

function ticket(a: Admission): RequestTicket {
  if (!a.admitted) throw new Error(`expected admission, got ${a.reason}`);
  return a;
}

describe('createRequestLimits: hourly threshold', () => {
  it('counts every admitted request and reports usage for ThresholdInformation', () => {
    const limits = createRequestLimits({ hourlyLimit: 50, clock: new ManualClock() });
    for (let i = 0; i < 7; i++)
      ticket(limits.admit({ integrationCode: 'IC', endpoint: 'Companies' })).release();
    expect(limits.usage()).toEqual({ count: 7, limit: 50, timeframeMinutes: 60 });
  });

  it('shares one budget across integration codes (per database) and refuses with 429 at the limit', () => {
    const limits = createRequestLimits({ hourlyLimit: 4, clock: new ManualClock() });
    for (const code of ['A', 'B', 'A', 'C'])
      ticket(limits.admit({ integrationCode: code, endpoint: 'X' })).release();
    const refused = limits.admit({ integrationCode: 'D', endpoint: 'Y' });
    expect(refused).toMatchObject({ admitted: false, reason: 'hourly-threshold', status: 429 });
    if (refused.admitted) throw new Error('unreachable');
    expect(refused.body.errors[0]).toMatch(/threshold of 4 requests/);
    // refused requests are not counted
    expect(limits.usage().count).toBe(4);
    expect(limits.stats().rejectedHourly).toBe(1);
  });

  it('is a rolling 60-minute window: requests leave it exactly one hour after they were made', () => {
    const clock = new ManualClock();
    const limits = createRequestLimits({ hourlyLimit: 3, clock });
    ticket(limits.admit({ integrationCode: 'A', endpoint: 'X' })).release(); // t=0
    clock.advance(20 * MINUTE);
    ticket(limits.admit({ integrationCode: 'A', endpoint: 'X' })).release(); // t=20
    ticket(limits.admit({ integrationCode: 'A', endpoint: 'X' })).release(); // t=20
    expect(limits.admit({ integrationCode: 'A', endpoint: 'X' }).admitted).toBe(false);
    clock.advance(40 * MINUTE - 1); // t=60m-1ms: first request still inside
    expect(limits.usage().count).toBe(3);
    expect(limits.admit({ integrationCode: 'A', endpoint: 'X' }).admitted).toBe(false);
    clock.advance(1); // t=60m: first request has left
    expect(limits.usage().count).toBe(2);
    ticket(limits.admit({ integrationCode: 'A', endpoint: 'X' })).release();
    expect(limits.usage().count).toBe(3);
    clock.advance(20 * MINUTE);
    expect(limits.usage().count).toBe(1);
  });

  it('can refuse with 500 instead of 429 when configured', () => {
    const limits = createRequestLimits({ hourlyLimit: 1, hourlyLimitStatus: 500, clock: new ManualClock() });
    ticket(limits.admit({ integrationCode: 'A', endpoint: 'X' })).release();
    expect(limits.admit({ integrationCode: 'A', endpoint: 'X' })).toMatchObject({ status: 500 });
  });

  it('reset() empties the window', () => {
    const limits = createRequestLimits({ hourlyLimit: 1, clock: new ManualClock() });
    ticket(limits.admit({ integrationCode: 'A', endpoint: 'X' })).release();
    limits.reset();
    expect(limits.usage().count).toBe(0);
    expect(limits.admit({ integrationCode: 'A', endpoint: 'X' }).admitted).toBe(true);
  });
});

describe('createRequestLimits: usage latency', () => {
  it('adds the 50 % and 75 % delays once usage (this request included) reaches them', () => {
    const limits = createRequestLimits({
      hourlyLimit: 8,
      latency: { at50PercentMs: 500, at75PercentMs: 1000 },
      clock: new ManualClock(),
    });
    const delays = Array.from({ length: 8 }, () => {
      const t = ticket(limits.admit({ integrationCode: 'A', endpoint: 'X' }));
      t.release();
      return t.delayMs;
    });
    // counts 1..8 of 8: 4/8 = 50 %, 6/8 = 75 %
    expect(delays).toEqual([0, 0, 0, 500, 500, 1000, 1000, 1000]);
  });

  it('has defaults from the API doc §9.2 and adds a base delay to every request', () => {
    const limits = createRequestLimits({ hourlyLimit: 2, latency: { baseMs: 30 }, clock: new ManualClock() });
    expect(ticket(limits.admit({ integrationCode: 'A', endpoint: 'X' })).delayMs).toBe(530);
  });
});

describe('createRequestLimits: thread limit', () => {
  it('allows threadLimit requests in flight per (integration code, endpoint), then refuses with the thread message', () => {
    const limits = createRequestLimits({ clock: new ManualClock() });
    const held = [1, 2, 3].map(() => ticket(limits.admit({ integrationCode: 'IC', endpoint: 'Companies' })));
    const refused = limits.admit({ integrationCode: 'IC', endpoint: 'companies' });
    expect(refused).toEqual({
      admitted: false,
      reason: 'thread-threshold',
      status: 429,
      body: { errors: ['The Autotask API thread threshold of 3 threads has been exceeded.'] },
    });
    // other endpoints and other integration codes have their own buckets
    expect(limits.admit({ integrationCode: 'IC', endpoint: 'Contacts' }).admitted).toBe(true);
    expect(limits.admit({ integrationCode: 'OTHER', endpoint: 'Companies' }).admitted).toBe(true);
    held[0]!.release();
    held[0]!.release(); // a second release frees nothing more
    expect(limits.admit({ integrationCode: 'IC', endpoint: 'Companies' }).admitted).toBe(true);
    expect(limits.admit({ integrationCode: 'IC', endpoint: 'Companies' }).admitted).toBe(false);
    expect(limits.stats()).toMatchObject({ rejectedThread: 2, peakInFlightPerBucket: 3 });
  });

  it('counts thread-refused requests against the hourly threshold (Autotask received them)', () => {
    const limits = createRequestLimits({ threadLimit: 1, clock: new ManualClock() });
    ticket(limits.admit({ integrationCode: 'A', endpoint: 'X' }));
    limits.admit({ integrationCode: 'A', endpoint: 'X' });
    expect(limits.usage().count).toBe(2);
  });

  it('can send the thread message with status 500, and takes new limits at runtime', () => {
    const limits = createRequestLimits({ threadLimit: 1, threadLimitStatus: 500, clock: new ManualClock() });
    ticket(limits.admit({ integrationCode: 'A', endpoint: 'X' }));
    expect(limits.admit({ integrationCode: 'A', endpoint: 'X' })).toMatchObject({
      status: 500,
      body: { errors: ['The Autotask API thread threshold of 1 threads has been exceeded.'] },
    });
    limits.set({ threadLimit: 2 });
    expect(limits.admit({ integrationCode: 'A', endpoint: 'X' }).admitted).toBe(true);
    expect(limits.stats().inFlight).toBe(2);
  });

  it('rejects invalid options with a ConfigError naming the option', () => {
    expect(() => createRequestLimits({ hourlyLimit: 0 })).toThrow(ConfigError);
    expect(() => createRequestLimits({ threadLimit: 1.5 })).toThrow(/limits\.threadLimit/);
    const limits = createRequestLimits();
    expect(() => limits.set({ latency: { at50PercentMs: -1 } })).toThrow(/limits\.latency\.at50PercentMs/);
  });
});

describe('createRequestLimits: settings', () => {
  it('reports the options in force with defaults filled in, after runtime changes', () => {
    const limits = createRequestLimits({ hourlyLimit: 20, clock: new ManualClock() });
    limits.set({ threadLimit: 5, latency: { baseMs: 7 } });
    expect(limits.settings()).toEqual({
      hourlyLimit: 20,
      threadLimit: 5,
      threadLimitStatus: 429,
      hourlyLimitStatus: 429,
      latency: { baseMs: 7, at50PercentMs: 500, at75PercentMs: 1000 },
    });
  });
});
