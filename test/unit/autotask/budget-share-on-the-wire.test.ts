/**
 * The hourly budget against a simulated tenant (scripted fetch): another integration keeps calling,
 * Autotask counts every call, ours and ThresholdInformation readings included, and answers readings
 * with the rolling-hour count. Whenever the client sends a data call, the tenant's last reported
 * usage (less our calls that have left the hour since) plus our calls since then must stay within
 * the share; after every wait the client re-reads before calling again.
 */
import { describe, expect, it } from 'vitest';

import { createAutotaskClient } from '../../../src/autotask/index.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { scriptedFetch, type LoggedRequest, type ScriptedAnswer } from './support/scripted-fetch.js';

const T0 = Date.UTC(2026, 0, 1);
const BASE = 'https://webservices14.autotask.net/ATServicesRest/V1.0/';
const HOUR = 3_600_000;

interface Sent {
  at: number;
  reading: boolean;
}

/** Another integration's calls: one every `everyMs` from an hour before we start, plus bursts. */
function otherIntegration(everyMs: number, bursts: { at: number; calls: number }[] = []): number[] {
  const times: number[] = [];
  for (let t = T0 - HOUR; t < T0 + 48 * HOUR; t += everyMs) times.push(t);
  for (const b of bursts) for (let i = 0; i < b.calls; i += 1) times.push(b.at);
  return times.sort((a, b) => a - b);
}

function simulatedTenant(options: { limit: number; othersSchedule: number[]; clock: ManualClock }) {
  const { limit, othersSchedule, clock } = options;
  const ours: Sent[] = [];
  const others: number[] = [];
  let nextOther = 0;
  const inHour = (times: number[], now: number): number => times.filter((t) => t > now - HOUR).length;
  const oursInHour = (now: number): number =>
    inHour(
      ours.map((c) => c.at),
      now,
    );
  let lastReading: { at: number; othersThen: number } | undefined;
  const checks: { estimate: number; tenant: number; othersSinceReading: number }[] = [];
  let previousAt = Number.NEGATIVE_INFINITY;
  const notReadFirst: number[] = [];

  const answer = (request: LoggedRequest): ScriptedAnswer => {
    const now = clock.now();
    while (nextOther < othersSchedule.length && othersSchedule[nextOther]! <= now) {
      others.push(othersSchedule[nextOther]!);
      nextOther += 1;
    }
    const reading = request.url.endsWith('ThresholdInformation');
    if (now > previousAt && previousAt !== Number.NEGATIVE_INFINITY && !reading) notReadFirst.push(now);
    previousAt = now;
    ours.push({ at: now, reading });
    const tenant = inHour(others, now) + oursInHour(now);
    if (reading) {
      lastReading = { at: now, othersThen: tenant - oursInHour(now) };
      return {
        status: 200,
        json: {
          externalRequestThreshold: limit,
          requestThresholdTimeframe: 60,
          currentTimeframeRequestCount: tenant,
        },
      };
    }
    const seen = lastReading;
    if (seen === undefined) throw new Error('data call before any reading');
    checks.push({
      estimate: seen.othersThen + oursInHour(now), // last reported usage, our calls since, this call
      tenant,
      othersSinceReading: others.filter((t) => t > seen.at && t > now - HOUR).length,
    });
    return { status: 200, json: { item: { id: 1 } } };
  };
  return { answer, ours, others, checks, notReadFirst };
}

async function run(othersSchedule: number[], calls: number) {
  const clock = new ManualClock(T0);
  const tenant = simulatedTenant({ limit: 100, othersSchedule, clock }); // share 0.5 → at most 49
  const sf = scriptedFetch(Array.from({ length: 4 * calls }, () => tenant.answer));
  const client = createAutotaskClient({
    token: Buffer.from('api@example.com:secret').toString('base64'),
    integrationCode: 'INTEGRATIONCODE0123456789AB',
    url: BASE,
    fetch: sf.fetch,
    clock,
    random: () => 0,
    budget: { share: 0.5 },
  });
  for (let i = 0; i < calls; i += 1) await client.companies.get(1);
  const readings = tenant.ours.filter((c) => c.reading).length;
  return { clock, tenant, readings };
}

const ALLOWED = 49;

describe('hourly budget share against a busy tenant', () => {
  it('keeps every call within the share of the last reading, re-reading after each wait', async () => {
    const { clock, tenant, readings } = await run(otherIntegration(150_000), 300); // 24 calls an hour
    expect(tenant.checks).toHaveLength(300);
    expect(Math.max(...tenant.checks.map((c) => c.estimate))).toBe(ALLOWED);
    // What Autotask really counted exceeds that only by the other integration's unseen calls.
    for (const c of tenant.checks) expect(c.tenant).toBeLessThanOrEqual(ALLOWED + c.othersSinceReading);
    expect(tenant.notReadFirst).toEqual([]);
    expect(clock.now() - T0).toBeGreaterThan(10 * HOUR); // the share really was the limit
    expect(readings).toBeLessThanOrEqual(Math.ceil((clock.now() - T0) / HOUR) + 1); // one per wait
  });

  it('while others alone fill the share, re-reads rarely and never calls past it', async () => {
    const schedule = otherIntegration(150_000, [{ at: T0 + 2 * HOUR, calls: 30 }]);
    const { tenant, readings, clock } = await run(schedule, 300);
    expect(tenant.checks).toHaveLength(300);
    expect(Math.max(...tenant.checks.map((c) => c.estimate))).toBeLessThanOrEqual(ALLOWED);
    for (const c of tenant.checks) expect(c.tenant).toBeLessThanOrEqual(ALLOWED + c.othersSinceReading);
    expect(tenant.notReadFirst).toEqual([]);
    expect(readings).toBeLessThan(0.1 * 300);
    expect(clock.now() - T0).toBeGreaterThan(10 * HOUR);
  });
});
