/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return --
   the contract suite inspects untyped wire JSON, exactly as a foreign client would */
/**
 * Issue 2, item 8: the rolling-hour request counter per database reported by ThresholdInformation,
 * added latency above 50 % and 75 % usage, 429 over the limit, and at most 3 concurrent requests per
 * integration code per entity (API doc §9, checklist §13 items 24–25). Small limits keep it fast.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../../src/shared/clock.js';
import { expectErrors, ok } from './helpers/fixtures.js';
import { againstSandbox, emulatorOf, openTarget, type ContractTarget } from './helpers/target.js';

const MINUTE = 60_000;
const THREAD_MESSAGE = 'The Autotask API thread threshold of 3 threads has been exceeded.';

let target: ContractTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

async function threshold(t: ContractTarget): Promise<{
  externalRequestThreshold: number;
  requestThresholdTimeframe: number;
  currentTimeframeRequestCount: number;
}> {
  return ok(await t.call('GET', 'V1.0/ThresholdInformation'));
}

const userQuery = (t: ContractTarget): string =>
  `${t.root}V1.0/zoneInformation?user=${encodeURIComponent(t.credentials.userName)}`;

describe('ThresholdInformation', () => {
  it('reports the threshold, a 60-minute timeframe and a count that includes the call itself', async () => {
    target = await openTarget({ seed: 'empty', hourlyLimit: 50 });
    const first = await threshold(target);
    expect(first).toEqual({
      externalRequestThreshold: againstSandbox ? expect.any(Number) : 50,
      requestThresholdTimeframe: 60,
      currentTimeframeRequestCount: expect.any(Number),
    });
    const second = await threshold(target);
    if (againstSandbox) {
      expect(second.currentTimeframeRequestCount).toBeGreaterThanOrEqual(
        first.currentTimeframeRequestCount + 1,
      );
    } else {
      expect(first.currentTimeframeRequestCount).toBe(1);
      expect(second.currentTimeframeRequestCount).toBe(2);
    }
  });
});

describe.skipIf(againstSandbox)('hourly threshold (emulator, small limit)', () => {
  it('counts every authenticated request; zoneInformation, versioninformation and 401s are exempt', async () => {
    target = await openTarget({ seed: 'empty', hourlyLimit: 50 });
    ok(await target.call('GET', 'V1.0/Version'));
    ok(await target.call('GET', 'V1.0/Companies/entityInformation'));
    ok(
      await target.call('POST', 'V1.0/Companies/query', {
        body: { filter: [{ op: 'gte', field: 'id', value: 0 }] },
      }),
    );
    ok(await target.call('GET', userQuery(target), { auth: false }));
    ok(await target.call('GET', `${target.root}versioninformation`, { auth: false }));
    expect((await target.call('GET', 'V1.0/Version', { auth: false })).status).toBe(401);
    expect((await threshold(target)).currentTimeframeRequestCount).toBe(4);
  });

  it('over the limit → 429 {"errors":[...]} for every authenticated route, ThresholdInformation included', async () => {
    target = await openTarget({
      seed: 'empty',
      hourlyLimit: 5,
      latency: { at50PercentMs: 0, at75PercentMs: 0 },
    });
    for (let i = 0; i < 5; i++) ok(await target.call('GET', 'V1.0/Version'));
    const refused = await target.call('POST', 'V1.0/Companies/query', {
      body: { filter: [{ op: 'gte', field: 'id', value: 0 }] },
    });
    const [message] = expectErrors(refused, 429);
    expect(message).toMatch(/threshold/i);
    expectErrors(await target.call('GET', 'V1.0/ThresholdInformation'), 429);
    // zone discovery still works
    ok(await target.call('GET', userQuery(target), { auth: false }));
  });

  it('is a rolling 60-minute window', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    target = await openTarget({
      seed: 'empty',
      hourlyLimit: 3,
      clock,
      latency: { at50PercentMs: 0, at75PercentMs: 0 },
    });
    ok(await target.call('GET', 'V1.0/Version')); // t = 0
    clock.advance(30 * MINUTE);
    ok(await target.call('GET', 'V1.0/Version')); // t = 30
    expect((await threshold(target)).currentTimeframeRequestCount).toBe(3); // t = 30
    expectErrors(await target.call('GET', 'V1.0/Version'), 429);
    clock.advance(30 * MINUTE); // t = 60: the first request has left the window
    expect((await threshold(target)).currentTimeframeRequestCount).toBe(3);
    clock.advance(30 * MINUTE); // t = 90: only the t = 60 call is left
    expect((await threshold(target)).currentTimeframeRequestCount).toBe(2);
  });

  it('adds latency from 50 % and 75 % usage', async () => {
    target = await openTarget({
      seed: 'empty',
      hourlyLimit: 8,
      latency: { at50PercentMs: 150, at75PercentMs: 300 },
    });
    const elapsed: number[] = [];
    for (let i = 0; i < 8; i++) {
      const started = performance.now();
      ok(await target.call('GET', 'V1.0/Version'));
      elapsed.push(performance.now() - started);
    }
    // requests 4–5 are at ≥ 50 %, 6–8 at ≥ 75 % (lower bounds only: no flaky upper bounds)
    for (const i of [3, 4]) expect(elapsed[i], `request ${i + 1}`).toBeGreaterThanOrEqual(145);
    for (const i of [5, 6, 7]) expect(elapsed[i], `request ${i + 1}`).toBeGreaterThanOrEqual(295);
  });
});

/** Waits until the emulator holds `n` requests in flight (they have taken their thread slots). */
async function inFlight(t: ContractTarget, n: number): Promise<void> {
  const limits = emulatorOf(t).limits;
  for (let i = 0; i < 500 && limits.stats().inFlight < n; i++) await new Promise((r) => setTimeout(r, 5));
  expect(limits.stats().inFlight).toBe(n);
}

describe.skipIf(againstSandbox)('thread limit (emulator)', () => {
  const slowQuery = (t: ContractTarget, entity: string): Promise<{ status: number; json: any }> =>
    t.call('POST', `V1.0/${entity}/query`, { body: { filter: [{ op: 'gte', field: 'id', value: 0 }] } });

  it('a 4th concurrent request on the same entity → 429 with the thread-threshold message', async () => {
    target = await openTarget({ seed: 'empty', latency: { baseMs: 1000 } });
    const t = target;
    // three slow queries take the Companies bucket's slots for a second...
    const held = Array.from({ length: 3 }, () => slowQuery(t, 'Companies'));
    await inFlight(t, 3);
    // ...so every other request of that bucket is refused meanwhile; other entities are not affected
    const [query, byId, metadata, contacts] = await Promise.all([
      slowQuery(t, 'Companies'),
      t.call('GET', 'V1.0/Companies/0'),
      t.call('GET', 'V1.0/Companies/entityInformation/fields'),
      slowQuery(t, 'Contacts'),
    ]);
    for (const r of [query, byId, metadata]) {
      expect(r.status).toBe(429);
      expect(r.json).toEqual({ errors: [THREAD_MESSAGE] });
    }
    expect(contacts.status).toBe(200);
    for (const r of await Promise.all(held)) expect(r.status).toBe(200);
    // slots are freed when responses complete
    expect((await slowQuery(t, 'Companies')).status).toBe(200);
  });

  it('each integration code has its own slots; zoneInformation is exempt', async () => {
    target = await openTarget({ seed: 'empty', latency: { baseMs: 400 } });
    const t = target;
    const emu = t.emulator!;
    const second = emu.addApiUser('second.user@emulator.local', 'SECOND-INTEGRATION-CODE');
    const results = await Promise.all([
      ...Array.from({ length: 3 }, () => slowQuery(t, 'Companies')),
      ...Array.from({ length: 5 }, () => t.call('GET', userQuery(t), { auth: false })),
      t.call('POST', 'V1.0/Companies/query', {
        auth: false,
        headers: {
          ApiIntegrationCode: second.integrationCode,
          UserName: second.userName,
          Secret: second.secret,
        },
        body: { filter: [{ op: 'gte', field: 'id', value: 0 }] },
      }),
    ]);
    for (const r of results) expect(r.status).toBe(200);
  });

  it('can answer the thread-threshold message with status 500 (as Autotask sometimes does)', async () => {
    target = await openTarget({
      seed: 'empty',
      threadLimit: 1,
      threadLimitStatus: 500,
      latency: { baseMs: 1000 },
    });
    const t = target;
    const held = slowQuery(t, 'Companies');
    await inFlight(t, 1);
    const refused = await slowQuery(t, 'Companies');
    expect(refused.status).toBe(500);
    expect(refused.json).toEqual({
      errors: ['The Autotask API thread threshold of 1 threads has been exceeded.'],
    });
    expect((await held).status).toBe(200);
  });
});
