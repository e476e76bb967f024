/**
 * The figures behind the web app's charts, from a real SQLite state store: the last hour from the
 * per-minute call log (runs or not), earlier hours from each run's calls spread over the time it ran
 * (not all in the hour it started), nothing counted twice where a run crosses into the logged hour;
 * and two-way runs in the outcomes with what each side received.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../../src/shared/clock.js';
import { openStateStore, type StateStore } from '../../src/state/index.js';
import { runView } from '../../src/ui/run-view.js';
import { runOutcomes, usageChartData } from '../../src/ui/usage-chart-data.js';

const at = (hh: number, mm = 0): number => Date.UTC(2026, 10, 27, hh, mm);
const NOW = at(14, 30);

describe('usage chart data', () => {
  let dir: string;
  let clock: ManualClock;
  let state: StateStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ui-usage-'));
    clock = new ManualClock(at(9));
    state = openStateStore({ path: join(dir, 'state.sqlite'), clock });
  });
  afterEach(() => {
    state.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (from: number, to: number, apiCalls: number, counters: Record<string, number> = {}): number => {
    const r = state.startRun({ mode: 'run', syncNames: ['companies'], configHash: 'h', startedAt: from });
    state.finishRun(r.id, { status: 'succeeded', counters, apiCalls, finishedAt: to });
    return r.id;
  };

  it('spreads older runs over their hours and reads the last hour from the call log', () => {
    run(at(10), at(13), 300); // three hours: 100 in each of 10:00, 11:00, 12:00
    run(at(13), at(13, 40), 40); // 30 of its 40 minutes before the logged hour (13:30): 30 calls
    state.apiUsage.add(at(13, 35), 10); // its last ten minutes, as the client logged them
    state.apiUsage.add(at(13, 45), 20); // a plan, a connection test: calls outside runs
    run(at(14, 10), at(14, 12), 50); // inside the logged hour: counted from the log only
    state.apiUsage.add(at(14, 10), 50);
    state.apiUsage.add(at(14, 20), 5);
    clock.advance(NOW - clock.now());

    const data = usageChartData(state, { now: NOW, limit: 10_000, share: 0.5 });
    const byHour = new Map(data.hours.map((x) => [new Date(x.hour).getUTCHours(), x.calls]));
    expect(data.hours).toHaveLength(24);
    expect(data.hours.at(-1)?.hour).toBe(at(14));
    expect([10, 11, 12, 13, 14].map((hh) => byHour.get(hh))).toEqual([100, 100, 100, 60, 55]);
    expect(data.hours.reduce((n, x) => n + x.calls, 0)).toBe(415);
    expect(data.loggedFrom).toBe(at(13, 30));
    expect(data.rollingHour).toBe(85);
    expect(data.allowed).toBe(5_000);
  });

  it('counts a run that still runs up to now, and a run of no duration in the hour it ran', () => {
    run(at(3, 15), at(3, 15), 7);
    const long = state.startRun({ mode: 'run', syncNames: ['big'], configHash: 'h', startedAt: at(11) });
    clock.advance(NOW - clock.now());
    // a running run has recorded no calls yet: the log has them for the last hour
    expect(state.getRun(long.id)?.status).toBe('running');
    const data = usageChartData(state, { now: NOW, limit: 10_000, share: 0.5 });
    expect(data.hours.find((x) => x.hour === at(3))?.calls).toBe(7);
    expect(data.hours.filter((x) => x.hour >= at(11)).every((x) => x.calls === 0)).toBe(true);
  });

  it('lists two-way runs in the outcomes with what each side received', () => {
    run(at(10), at(10, 5), 12, { created: 2, updated: 1 });
    const twoWay = run(at(11), at(11, 5), 9, {
      created: 3,
      updated: 1,
      unchanged: 4,
      autotaskCreated: 1,
      autotaskUpdated: 1,
      autotaskDeactivated: 0,
      sqlCreated: 2,
      sqlUpdated: 0,
      sqlDeactivated: 0,
      deletesSeen: 0,
    });
    const outcomes = runOutcomes(state, (r) => runView(r, new Set()));
    expect(outcomes.map((o) => o.kind)).toEqual(['one-way', 'two-way']);
    expect(outcomes[0]?.sides).toBeNull();
    expect(outcomes[1]).toMatchObject({
      id: twoWay,
      counters: { created: 3 },
      sides: {
        autotask: { created: 1, updated: 1, deactivated: 0 },
        table: { created: 2, updated: 0, deactivated: 0 },
      },
    });
    // a two-way run that stopped before counting anything is known by its syncs
    const failed = state.startRun({ mode: 'run', syncNames: ['accounts-db'], configHash: 'h' });
    state.finishRun(failed.id, { status: 'failed', counters: {}, apiCalls: 0 });
    const view = runView(state.getRun(failed.id)!, new Set(['accounts-db']));
    expect(view.kind).toBe('two-way');
    expect(runView(state.getRun(failed.id)!, new Set()).kind).toBe('one-way');
  });
});
