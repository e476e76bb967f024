/**
 * `run --watch`: keeps a sync going. Runs a pass, sleeps the interval, runs again — until the user
 * stops it (SIGINT/SIGTERM). A pass that throws (Autotask unreachable, a source briefly locked) is
 * retried after a growing back-off instead of ending the loop; a pass that reports the API budget
 * exhausted pauses until the hour window frees up. A configuration error in the very first pass
 * stops at once (it will not fix itself); later ones (the file was edited) are retried like any error.
 * Time comes from the injected clock, so tests drive the loop without waiting.
 */
import { InvalidArgumentError } from 'commander';

import type { Clock } from '../shared/clock.js';
import { ConfigError } from '../shared/errors.js';
import { ExitCode } from './exit-codes.js';

/** @default interval between passes of `run --watch` (5 minutes) */
export const DEFAULT_WATCH_INTERVAL_MS = 5 * 60_000;
/** @default first back-off after a failed pass (30 s), doubled on each failure in a row */
export const DEFAULT_ERROR_BACKOFF_MS = 30_000;
/** @default longest back-off after failures (15 minutes) */
export const DEFAULT_MAX_ERROR_BACKOFF_MS = 15 * 60_000;

/** Exit codes of a pass that did not get through (Autotask unreachable, a bug): retried after a back-off. */
const FAILED_PASS: ReadonlySet<number> = new Set([ExitCode.ConnectionError, ExitCode.InternalError]);

/** What one pass reports to the loop. */
export interface WatchPassResult {
  /** The pass's exit code (`ExitCode`). */
  exitCode: number;
  /** When the budget exhausted, the epoch ms at which the hour window frees up (if known). */
  budgetFreesAt?: number | undefined;
}

export type WatchEvent =
  | { type: 'pass-start'; iteration: number; at: number }
  | { type: 'pass-end'; iteration: number; at: number; exitCode: number; nextAt: number }
  | {
      type: 'pass-error';
      iteration: number;
      at: number;
      error: unknown;
      retryAt: number;
      failuresInARow: number;
    }
  | { type: 'budget-pause'; iteration: number; at: number; until: number }
  | { type: 'stopped'; iterations: number; lastExitCode: number };

export interface WatchLoopOptions {
  /** Time between the end of a pass and the start of the next, in ms. @default DEFAULT_WATCH_INTERVAL_MS */
  intervalMs?: number;
  clock: Clock;
  /** Stops the loop (between passes, or by cancelling the sleep). */
  signal: AbortSignal;
  /** Runs one pass. May throw: the loop reports it and retries after a back-off. */
  runPass: (iteration: number) => Promise<WatchPassResult>;
  /** Told about each pass, error and pause (for the console). Must not throw. */
  onEvent?: (event: WatchEvent) => void;
  /** @default DEFAULT_ERROR_BACKOFF_MS */
  errorBackoffMs?: number;
  /** @default DEFAULT_MAX_ERROR_BACKOFF_MS */
  maxErrorBackoffMs?: number;
  /** Stop after this many passes (tests). @default unlimited */
  maxPasses?: number;
}

export interface WatchLoopResult {
  passes: number;
  /** Exit code of the last pass (or of the error that stopped the loop). */
  exitCode: number;
}

/** Runs passes until `signal` aborts (or `maxPasses`). Resolves; never rejects. */
export async function runWatchLoop(options: WatchLoopOptions): Promise<WatchLoopResult> {
  const { clock, signal } = options;
  const interval = options.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
  const baseBackoff = options.errorBackoffMs ?? DEFAULT_ERROR_BACKOFF_MS;
  const maxBackoff = Math.max(baseBackoff, options.maxErrorBackoffMs ?? DEFAULT_MAX_ERROR_BACKOFF_MS);
  const emit = (event: WatchEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // reporting must never stop the loop
    }
  };
  let passes = 0;
  let exitCode: number = ExitCode.Success;
  let failuresInARow = 0;
  while (!signal.aborted && passes < (options.maxPasses ?? Infinity)) {
    passes += 1;
    emit({ type: 'pass-start', iteration: passes, at: clock.now() });
    let waitMs: number;
    try {
      const result = await options.runPass(passes);
      exitCode = result.exitCode;
      const now = clock.now();
      if (FAILED_PASS.has(result.exitCode)) {
        failuresInARow += 1;
        waitMs = Math.min(maxBackoff, baseBackoff * 2 ** (failuresInARow - 1));
        emit({
          type: 'pass-error',
          iteration: passes,
          at: now,
          error: new Error(`the pass ended with exit code ${result.exitCode}`),
          retryAt: now + waitMs,
          failuresInARow,
        });
      } else if (result.exitCode === ExitCode.BudgetExhausted) {
        failuresInARow = 0;
        const until = Math.max(now + 1000, result.budgetFreesAt ?? now + interval);
        emit({ type: 'budget-pause', iteration: passes, at: now, until });
        waitMs = until - now;
      } else {
        failuresInARow = 0;
        waitMs = interval;
        emit({
          type: 'pass-end',
          iteration: passes,
          at: now,
          exitCode: result.exitCode,
          nextAt: now + interval,
        });
      }
    } catch (error) {
      if (signal.aborted) break;
      failuresInARow += 1;
      exitCode = error instanceof ConfigError ? ExitCode.ConfigError : ExitCode.InternalError;
      if (error instanceof ConfigError && passes === 1) {
        emit({
          type: 'pass-error',
          iteration: passes,
          at: clock.now(),
          error,
          retryAt: Number.NaN,
          failuresInARow,
        });
        break;
      }
      waitMs = Math.min(maxBackoff, baseBackoff * 2 ** (failuresInARow - 1));
      const now = clock.now();
      emit({ type: 'pass-error', iteration: passes, at: now, error, retryAt: now + waitMs, failuresInARow });
    }
    if (passes >= (options.maxPasses ?? Infinity)) break;
    try {
      await clock.sleep(waitMs, signal);
    } catch {
      break; // aborted while sleeping
    }
  }
  emit({ type: 'stopped', iterations: passes, lastExitCode: exitCode });
  return { passes, exitCode };
}

/**
 * Parses an interval: `90s`, `5m`, `1h`, `1h30m`, or a bare number of seconds. At least one second.
 * Throws commander's `InvalidArgumentError` (a usage error, exit code 2) otherwise.
 */
export function parseInterval(text: string): number {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return check(Number(trimmed) * 1000, text);
  const re = /(\d+(?:\.\d+)?)\s*(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (const m of trimmed.matchAll(re)) {
    matched += m[0].length;
    const n = Number(m[1]);
    total += n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  if (matched === 0 || matched !== trimmed.length)
    throw new InvalidArgumentError(`"${text}" is not an interval: write e.g. 30s, 5m, 1h or 1h30m.`);
  return check(total, text);
}

function check(ms: number, text: string): number {
  if (!Number.isFinite(ms) || ms < 1000)
    throw new InvalidArgumentError(`"${text}" is too short: the interval must be at least 1s.`);
  return Math.round(ms);
}
