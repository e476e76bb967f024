import { describe, expect, it } from 'vitest';

import { ManualClock } from '../../../src/shared/clock.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { parseInterval, runWatchLoop, type WatchEvent } from '../../../src/cli/watch-loop.js';

describe('runWatchLoop', () => {
  it('runs passes separated by the interval until maxPasses', async () => {
    const clock = new ManualClock(0);
    const starts: number[] = [];
    const result = await runWatchLoop({
      clock,
      signal: new AbortController().signal,
      intervalMs: 60_000,
      maxPasses: 3,
      runPass: () => {
        starts.push(clock.now());
        clock.advance(5_000); // the pass itself takes 5 s
        return Promise.resolve({ exitCode: ExitCode.Success });
      },
    });
    expect(result).toEqual({ passes: 3, exitCode: ExitCode.Success });
    expect(starts).toEqual([0, 65_000, 130_000]);
  });

  it('retries after errors with a doubling back-off, then resets it after a good pass', async () => {
    const clock = new ManualClock(0);
    const outcomes = ['throw', 'throw', 'throw', 'ok', 'throw'];
    const events: WatchEvent[] = [];
    const result = await runWatchLoop({
      clock,
      signal: new AbortController().signal,
      intervalMs: 300_000,
      errorBackoffMs: 10_000,
      maxErrorBackoffMs: 25_000,
      maxPasses: outcomes.length,
      onEvent: (e) => events.push(e),
      runPass: (i) => {
        if (outcomes[i - 1] === 'throw') return Promise.reject(new Error('Autotask unreachable'));
        return Promise.resolve({ exitCode: ExitCode.RecordsFailed });
      },
    });
    expect(clock.sleeps).toEqual([10_000, 20_000, 25_000, 300_000]);
    expect(result.passes).toBe(5);
    expect(result.exitCode).toBe(ExitCode.InternalError);
    const errors = events.filter((e) => e.type === 'pass-error');
    expect(errors.map((e) => (e.type === 'pass-error' ? e.failuresInARow : 0))).toEqual([1, 2, 3, 1]);
  });

  it('pauses until the budget frees up when a pass reports it exhausted', async () => {
    const clock = new ManualClock(1_000_000);
    const events: WatchEvent[] = [];
    await runWatchLoop({
      clock,
      signal: new AbortController().signal,
      intervalMs: 60_000,
      maxPasses: 2,
      onEvent: (e) => events.push(e),
      runPass: (i) =>
        Promise.resolve(
          i === 1
            ? { exitCode: ExitCode.BudgetExhausted, budgetFreesAt: 1_000_000 + 1_800_000 }
            : { exitCode: ExitCode.Success },
        ),
    });
    expect(clock.sleeps).toEqual([1_800_000]);
    expect(events.find((e) => e.type === 'budget-pause')).toMatchObject({ until: 2_800_000 });
  });

  it('stops at once on a configuration error in the first pass', async () => {
    const clock = new ManualClock(0);
    let calls = 0;
    const result = await runWatchLoop({
      clock,
      signal: new AbortController().signal,
      runPass: () => {
        calls += 1;
        return Promise.reject(new ConfigError('bad config', []));
      },
    });
    expect(calls).toBe(1);
    expect(result.exitCode).toBe(ExitCode.ConfigError);
    expect(clock.sleeps).toEqual([]);
  });

  it('stops when the signal aborts between passes', async () => {
    const clock = new ManualClock(0);
    const controller = new AbortController();
    const result = await runWatchLoop({
      clock,
      signal: controller.signal,
      runPass: (i) => {
        if (i === 2) controller.abort();
        return Promise.resolve({ exitCode: ExitCode.Success });
      },
    });
    expect(result.passes).toBe(2);
  });
});

describe('parseInterval', () => {
  it.each([
    ['90', 90_000],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1500ms', 1_500],
  ])('%s → %d ms', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });

  it.each(['', 'soon', '5 minutes', '0s', '500ms', '5m later'])('rejects %j', (text) => {
    expect(() => parseInterval(text)).toThrow(/interval|too short/);
  });
});

describe('runWatchLoop with pass exit codes', () => {
  it('treats a connection failure (exit 3) like an error: back-off, not the interval', async () => {
    const clock = new ManualClock(0);
    const codes = [ExitCode.ConnectionError, ExitCode.ConnectionError, ExitCode.RecordsFailed];
    await runWatchLoop({
      clock,
      signal: new AbortController().signal,
      intervalMs: 600_000,
      errorBackoffMs: 5_000,
      maxPasses: 4,
      runPass: (i) => Promise.resolve({ exitCode: codes[i - 1] ?? ExitCode.Success }),
    });
    expect(clock.sleeps).toEqual([5_000, 10_000, 600_000]);
  });
});
