/**
 * The emulator's control endpoints (`/_emulator/...`, docs/emulator.md), used by tests and benchmarks
 * that run the emulator in another process: fault options, limits and the clock over HTTP.
 * Emulator only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectErrors, ok } from './helpers/fixtures.js';
import { againstSandbox, openTarget, type ContractTarget } from './helpers/target.js';

describe.skipIf(againstSandbox)('control endpoints (emulator)', () => {
  let target: ContractTarget;
  let control: string;
  beforeAll(async () => {
    target = await openTarget({
      seed: 'empty',
      hourlyLimit: 3,
      latency: { at50PercentMs: 0, at75PercentMs: 0 },
    });
    control = target.root.replace(/ATServicesRest\/$/i, '_emulator/');
  });
  afterAll(() => target.close());

  it('POST faults sets rules that the API then obeys; they need no credentials and are not counted', async () => {
    const set = await target.call('POST', `${control}faults`, {
      auth: false,
      body: { rules: [{ match: { method: 'GET' }, kind: 'thread-limit', times: 1 }] },
    });
    expect(ok(set).rules).toHaveLength(1);
    expectErrors(await target.call('GET', 'V1.0/Version'), 429);
    ok(await target.call('GET', 'V1.0/Version'));
    const bad = await target.call('POST', `${control}faults`, { auth: false, body: { faultRate: 7 } });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/faultRate/);
  });

  it('GET stats, POST time and POST reset-counters drive the rolling hour', async () => {
    ok(await target.call('POST', `${control}reset-counters`, { auth: false }));
    for (let i = 0; i < 3; i++) ok(await target.call('GET', 'V1.0/Version'));
    expectErrors(await target.call('GET', 'V1.0/Version'), 429);
    const stats = ok(await target.call('GET', `${control}stats`, { auth: false }));
    expect(stats.limits.usage).toEqual({ count: 3, limit: 3, timeframeMinutes: 60 });
    expect(stats.limits.rejectedHourly).toBe(1);
    ok(await target.call('POST', `${control}time`, { auth: false, body: { advanceMs: 60 * 60_000 } }));
    ok(await target.call('GET', 'V1.0/Version'));
    const limits = ok(
      await target.call('POST', `${control}limits`, { auth: false, body: { hourlyLimit: 10 } }),
    );
    expect(limits).toEqual({ count: 1, limit: 10, timeframeMinutes: 60 });
  });
});
