/**
 * The `--watch` / `--interval` options of `run` and what they do: passes of the run in a loop
 * (`watch-loop.ts`) with one status line per pass on stderr (`[11:40:02 UTC] pass 3: exit 0, next at
 * 11:45 UTC`). With `--json` each pass still prints its own JSON document on stdout (JSON Lines).
 */
import type { Command } from 'commander';

import { systemClock, type Clock } from '../shared/clock.js';
import { redactText } from '../shared/redact.js';
import type { CliContext } from './context.js';
import { formatClockTime, formatDuration } from './render/format.js';
import {
  DEFAULT_WATCH_INTERVAL_MS,
  parseInterval,
  runWatchLoop,
  type WatchEvent,
  type WatchPassResult,
} from './watch-loop.js';

export interface WatchFlags {
  watch?: boolean;
  /** ms, from `--interval`. */
  interval?: number;
}

/** Adds `--watch` and `--interval` to a command. */
export function addWatchOptions(command: Command): Command {
  return command
    .option(
      '--watch',
      'keep running: a pass every --interval, resuming after errors, pausing while the budget is used up',
    )
    .option(
      '--interval <duration>',
      `time between passes with --watch, e.g. 30s, 5m, 1h (default ${formatDuration(DEFAULT_WATCH_INTERVAL_MS)})`,
      parseInterval,
    );
}

/** One human line per loop event. */
export function formatWatchEvent(event: WatchEvent, secrets: readonly string[]): string | undefined {
  const time = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
  switch (event.type) {
    case 'pass-start':
      return undefined;
    case 'pass-end':
      return `[${time(event.at)} UTC] pass ${event.iteration}: exit ${event.exitCode}; next pass at ${formatClockTime(event.nextAt)}`;
    case 'budget-pause':
      return `[${time(event.at)} UTC] pass ${event.iteration}: API budget used up; pausing until ${formatClockTime(event.until)}`;
    case 'pass-error': {
      const message = event.error instanceof Error ? event.error.message : String(event.error);
      const retry = Number.isNaN(event.retryAt)
        ? 'stopping: fix the configuration and start again'
        : `retrying at ${formatClockTime(event.retryAt)} (failure ${event.failuresInARow} in a row)`;
      return redactText(
        `[${time(event.at)} UTC] pass ${event.iteration} failed: ${message}; ${retry}`,
        secrets,
      );
    }
    case 'stopped':
      return `Stopped after ${event.iterations} pass${event.iterations === 1 ? '' : 'es'}.`;
  }
}

/** Runs `runPass` in a watch loop until SIGINT/SIGTERM; returns the last pass's exit code. */
export async function watchRuns(
  ctx: CliContext,
  flags: WatchFlags,
  runPass: (iteration: number) => Promise<WatchPassResult>,
  options: { secrets?: readonly string[]; clock?: Clock } = {},
): Promise<number> {
  const interval = flags.interval ?? DEFAULT_WATCH_INTERVAL_MS;
  ctx.stderr.write(
    `Watching: a pass every ${formatDuration(interval)}; Ctrl+C stops (writes in flight finish first).\n`,
  );
  const { exitCode } = await runWatchLoop({
    clock: options.clock ?? systemClock,
    signal: ctx.signal,
    intervalMs: interval,
    runPass,
    onEvent: (event) => {
      const line = formatWatchEvent(event, options.secrets ?? []);
      if (line !== undefined) ctx.stderr.write(`${line}\n`);
    },
  });
  return exitCode;
}
