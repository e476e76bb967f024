/**
 * The API budget gauge: calls used in the rolling hour against the share of the tenant's limit this
 * installation may use, and when the oldest calls leave the window (so the user knows when a wait
 * ends). Pure functions: the progress display and `check` render with them.
 */
import type { ApiUsageStore } from '../../autotask/persistence-ports.js';
import { formatClockTime } from './format.js';

const HOUR_MS = 3_600_000;

export interface BudgetReading {
  /** Estimated tenant usage in the rolling hour. */
  used: number;
  /** The tenant's hourly limit. */
  limit: number;
  /** `share × limit`: the usage this installation will not let the tenant pass. */
  allowed: number;
}

export interface WindowRelease {
  /** Epoch ms when `calls` of this installation's calls leave the rolling hour. */
  at: number;
  calls: number;
}

/** When the oldest of this installation's recorded calls leave the rolling hour, if any were made. */
export function nextWindowRelease(usage: ApiUsageStore | undefined, now: number): WindowRelease | undefined {
  if (usage === undefined) return undefined;
  const recent = usage.recent(now - HOUR_MS).filter((b) => b.count > 0);
  if (recent.length === 0) return undefined;
  const oldest = recent.reduce((a, b) => (b.at < a.at ? b : a));
  return { at: oldest.at + HOUR_MS, calls: oldest.count };
}

/** `▇▇▇▇░░░░` of `width` cells for `ratio` (0..1). */
export function gaugeBar(ratio: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, ratio)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/**
 * `API budget [████░░░░] 1,234 of 5,000 allowed (50% of 10,000/h) · 12 calls free up at 12:03 UTC`.
 * `waitingUntil` adds "waiting until …" while the client sleeps for budget.
 */
export function formatBudgetGauge(
  reading: BudgetReading,
  options: { release?: WindowRelease | undefined; waitingUntil?: number | undefined; barWidth?: number } = {},
): string {
  const share = reading.limit > 0 ? Math.round((reading.allowed / reading.limit) * 100) : 0;
  const parts = [
    `API budget [${gaugeBar(reading.allowed > 0 ? reading.used / reading.allowed : 1, options.barWidth ?? 20)}]`,
    `${num(reading.used)} of ${num(reading.allowed)} allowed (${share}% of ${num(reading.limit)}/h)`,
  ];
  let line = parts.join(' ');
  if (options.waitingUntil !== undefined)
    line += ` · waiting for budget until ${formatClockTime(options.waitingUntil)}`;
  else if (options.release !== undefined)
    line += ` · ${num(options.release.calls)} call${options.release.calls === 1 ? '' : 's'} free up at ${formatClockTime(options.release.at)}`;
  return line;
}

function num(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
