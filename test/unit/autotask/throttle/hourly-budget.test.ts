import { describe, expect, it } from 'vitest';

import type { BudgetWaitInfo } from '../../../../src/autotask/client-types.js';
import { AutotaskBudgetExhaustedError } from '../../../../src/autotask/errors.js';
import type { ApiUsageStore } from '../../../../src/autotask/persistence-ports.js';
import {
  createHourlyBudget,
  WINDOW_MS,
  type HourlyBudget,
} from '../../../../src/autotask/throttle/hourly-budget.js';
import { ManualClock } from '../../../../src/shared/clock.js';

const T0 = Date.UTC(2026, 0, 1);

function memoryUsageStore(
  initial: { at: number; count: number }[] = [],
): ApiUsageStore & { rows: { at: number; count: number }[] } {
  const rows = [...initial];
  return {
    rows,
    recent: (since) => rows.filter((r) => r.at > since),
    add: (at, count) => {
      rows.push({ at, count });
    },
  };
}

describe('hourly budget without ThresholdInformation', () => {
  it('lets share × limit calls through, then waits until the oldest leaves the rolling hour', async () => {
    const clock = new ManualClock(T0);
    const waits: BudgetWaitInfo[] = [];
    const budget = createHourlyBudget({
      clock,
      hourlyLimit: 12, // allowed: just below 6
      share: 0.5,
      reconcileIntervalMs: false,
      onWait: (w) => waits.push(w),
    });
    for (let i = 0; i < 5; i += 1) {
      (await budget.acquire()).sent();
      clock.advance(60_000);
    }
    expect(budget.snapshot()).toEqual({ used: 5, limit: 12, allowed: 5, own: 5 });
    expect(clock.sleeps).toEqual([]);
    (await budget.acquire()).sent(); // 6th call at T0 + 5 min: must wait for the call made at T0
    expect(waits).toEqual([
      { until: T0 + WINDOW_MS, waitMs: WINDOW_MS - 300_000, used: 5, limit: 12, allowed: 5 },
    ]);
    expect(clock.now()).toBe(T0 + WINDOW_MS);
    expect(budget.snapshot().used).toBe(5); // T0 aged out, the new one counted
  });

  it('fails fast when told to, saying until when', async () => {
    const clock = new ManualClock(T0);
    const budget = createHourlyBudget({
      clock,
      hourlyLimit: 6,
      share: 0.5,
      reconcileIntervalMs: false,
      whenExhausted: 'fail',
    });
    (await budget.acquire()).sent();
    (await budget.acquire()).sent();
    const error = await budget.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskBudgetExhaustedError);
    expect((error as AutotaskBudgetExhaustedError).until).toBe(T0 + WINDOW_MS);
    expect((error as Error).message).toMatch(/about 2 of 6 calls.*stops at 2 \(50 %\)/);
    expect(clock.sleeps).toEqual([]);
  });

  it('remembers calls of earlier runs through the usage store, and records new ones', async () => {
    const clock = new ManualClock(T0);
    const store = memoryUsageStore([
      { at: T0 - WINDOW_MS - 1, count: 100 }, // outside the window
      { at: T0 - 30 * 60_000, count: 3 },
    ]);
    const budget = createHourlyBudget({
      clock,
      hourlyLimit: 10,
      share: 0.5,
      reconcileIntervalMs: false,
      usageStore: store,
    });
    expect(budget.snapshot().used).toBe(3);
    (await budget.acquire()).sent();
    expect(store.rows.at(-1)).toEqual({ at: T0, count: 1 });
    (await budget.acquire()).sent(); // 3 + 1 + 1 > 4 → wait until the old three leave (T0 + 30 min)
    expect(clock.sleeps).toEqual([30 * 60_000 + 1000]);
  });

  it('reports one wait to onWait however many callers wait', async () => {
    // A clock whose sleeps resolve only when the test moves time (ManualClock resolves them at once).
    let now = T0;
    const timers: { at: number; resolve: () => void }[] = [];
    const clock = {
      now: () => now,
      sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
    };
    const waits: BudgetWaitInfo[] = [];
    let waitStats = 0;
    const budget = createHourlyBudget({
      clock,
      hourlyLimit: 4, // allowed 1
      reconcileIntervalMs: false,
      onWait: (w) => waits.push(w),
      onWaitStat: () => (waitStats += 1),
    });
    (await budget.acquire()).sent();
    const done = [1, 2, 3].map(() => budget.acquire().then((t) => t.sent()));
    await new Promise((r) => setImmediate(r));
    expect(waitStats).toBe(3);
    expect(waits).toEqual([{ until: T0 + WINDOW_MS, waitMs: WINDOW_MS, used: 1, limit: 4, allowed: 1 }]);
    // Let time run until everyone got through: one report per wait, not per waiting caller.
    while (timers.length > 0) {
      const next = timers.sort((x, y) => x.at - y.at).shift()!;
      now = Math.max(now, next.at);
      next.resolve();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(done);
    expect(waits.map((w) => w.until)).toEqual([T0 + WINDOW_MS, T0 + 2 * WINDOW_MS, T0 + 3 * WINDOW_MS]);
  });

  it('rejects nonsense settings', () => {
    const clock = new ManualClock(T0);
    expect(() => createHourlyBudget({ clock, share: 0 })).toThrow(/share/);
    expect(() => createHourlyBudget({ clock, share: 1.5 })).toThrow(/share/);
    expect(() => createHourlyBudget({ clock, hourlyLimit: 0 })).toThrow(/hourlyLimit/);
  });
});

describe('hourly budget reconciled with ThresholdInformation', () => {
  function setup(
    tenantOthers: (now: number) => number,
    limit = 10,
    extra: Partial<Parameters<typeof createHourlyBudget>[0]> = {},
  ) {
    const clock = new ManualClock(T0);
    const readings: number[] = [];
    const waits: BudgetWaitInfo[] = [];
    // The "server": counts every call of ours plus what other integrations did.
    const reconcile = () => {
      budget.record(); // the ThresholdInformation call counts too
      const total = tenantOthers(clock.now()) + budget.snapshot().own;
      readings.push(clock.now());
      budget.reconcileWith({
        externalRequestThreshold: limit,
        requestThresholdTimeframe: 60,
        currentTimeframeRequestCount: total,
      });
      return Promise.resolve();
    };
    const budget: HourlyBudget = createHourlyBudget({
      clock,
      share: 0.5,
      reconcile,
      onWait: (w) => waits.push(w),
      ...extra,
    });
    return { clock, budget: () => budget, readings, waits };
  }

  it('reads ThresholdInformation before the first call and every interval', async () => {
    const { clock, budget, readings } = setup(() => 0, 10_000);
    (await budget().acquire()).sent();
    (await budget().acquire()).sent();
    clock.advance(299_999);
    (await budget().acquire()).sent();
    clock.advance(1);
    (await budget().acquire()).sent();
    expect(readings).toEqual([T0, T0 + 300_000]);
    expect(budget().snapshot()).toEqual({ used: 6, limit: 10_000, allowed: 4999, own: 6 });
  });

  it('adopts the tenant limit and counts other integrations', async () => {
    const { budget } = setup(() => 3, 12);
    (await budget().acquire()).sent();
    expect(budget().snapshot()).toEqual({ used: 5, limit: 12, allowed: 5, own: 2 });
  });

  it('while others fill the share, re-reads only when a reading and a call are expected to fit', async () => {
    // Other integrations hold the whole share until T0 + 150 s, then stop. A reading is a call: the
    // next one waits until their calls are expected to have left (spread over the hour before the
    // first reading, so 60 % of them have left 60 % of an hour later: 5 → 2, + our reading + 2 ≤ 5).
    const { clock, budget, readings, waits } = setup((now) => (now < T0 + 150_000 ? 5 : 0), 12);
    (await budget().acquire()).sent();
    expect(readings).toHaveLength(2);
    expect(readings[0]).toBe(T0);
    expect(Math.abs(readings[1]! - (T0 + 0.6 * WINDOW_MS))).toBeLessThanOrEqual(1);
    expect(waits).toEqual([
      { until: readings[1], waitMs: readings[1]! - T0, used: 6, limit: 12, allowed: 5 },
    ]);
    expect(clock.now()).toBe(readings[1]);
    expect(budget().snapshot()).toMatchObject({ own: 3 }); // 2 readings + the call
  });

  it('re-reads rarely while others keep the share forever, each reading expected to fit', async () => {
    const controller = new AbortController();
    const { clock, budget, readings } = setup(() => 5, 12, { signal: controller.signal });
    let n = 0;
    const waiting = budget().acquire();
    // ManualClock sleeps resolve at once; let the loop run through about two virtual hours.
    while (clock.now() < T0 + 2 * 3_600_000 && n < 10_000) {
      n += 1;
      await Promise.resolve();
    }
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    const gaps = readings.slice(1).map((t, i) => t - readings[i]!);
    expect(gaps.length).toBeGreaterThan(0);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0.5 * WINDOW_MS);
    expect(readings.length).toBeLessThanOrEqual(5);
  });

  it("counts reserved calls at once, but leaves them out of others' usage until they are sent", async () => {
    const { budget } = setup(() => 2, 12); // first reading: tenant 3 = 2 others + the reading
    const t1 = await budget().acquire();
    const t2 = await budget().acquire();
    expect(budget().snapshot()).toEqual({ used: 5, limit: 12, allowed: 5, own: 3 });
    // Autotask has seen the reading but not the two reserved calls (still waiting for a lane).
    budget().reconcileWith({
      externalRequestThreshold: 12,
      requestThresholdTimeframe: 60,
      currentTimeframeRequestCount: 3,
    });
    expect(budget().snapshot().used).toBe(5);
    t1.sent();
    t2.release();
    t2.sent(); // too late: released tickets stay released
    expect(budget().snapshot()).toEqual({ used: 4, limit: 12, allowed: 5, own: 2 });
  });

  it('re-reads after Autotask throttled us (markStale)', async () => {
    const { budget, readings } = setup(() => 0, 10_000);
    (await budget().acquire()).sent();
    budget().markStale();
    (await budget().acquire()).sent();
    expect(readings).toEqual([T0, T0]);
  });

  it('reads the tenant limit first even when earlier runs used more than the default limit allows', async () => {
    // A tenant with a raised threshold: earlier runs made 35,000 calls this hour (persisted).
    const store = memoryUsageStore([{ at: T0 - 60_000, count: 35_000 }]);
    const { clock, budget, readings, waits } = setup(() => 0, 1_000_000, { usageStore: store });
    (await budget().acquire()).sent();
    expect(readings).toEqual([T0]);
    expect(waits).toEqual([]);
    expect(clock.now()).toBe(T0);
    expect(budget().snapshot()).toMatchObject({ limit: 1_000_000, own: 35_002 });
  });

  it('keeps counting its own calls when ThresholdInformation fails', async () => {
    const clock = new ManualClock(T0);
    let calls = 0;
    const budget = createHourlyBudget({
      clock,
      hourlyLimit: 100,
      reconcile: () => {
        calls += 1;
        return Promise.reject(new Error('401'));
      },
    });
    (await budget.acquire()).sent();
    (await budget.acquire()).sent();
    expect(calls).toBe(1);
    expect(budget.snapshot().own).toBe(2);
  });
});
