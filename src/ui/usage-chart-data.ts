/**
 * The figures behind the app's charts: Autotask calls per hour (from the runs this state database
 * recorded, plus this installation's call log of the rolling hour) against the configured share and
 * the tenant's limit, and the outcomes of each run.
 */
import type { RunRecord, StateStore } from '../state/state-store.js';

const HOUR = 3_600_000;

export interface HourlyCalls {
  /** Start of the hour (ms since the epoch, UTC). */
  hour: number;
  calls: number;
}

export interface UsageChartData {
  /** The last `hours` hours, oldest first; calls of runs counted in the hour they started. */
  hours: HourlyCalls[];
  /** This installation's calls in the rolling hour ending now. */
  rollingHour: number;
  /** The tenant's hourly limit, and the share of it this configuration may use. */
  limit: number;
  share: number;
  /** Calls per hour the share allows (the client keeps strictly below share × limit). */
  allowed: number;
}

export interface RunOutcomes {
  id: number;
  mode: string;
  status: string;
  startedAt: number;
  apiCalls: number;
  counters: Record<string, number>;
}

/** Calls per hour over the last `hours` hours (default 24). */
export function usageChartData(
  state: StateStore | undefined,
  options: { now: number; limit: number; share: number; allowed?: number; hours?: number },
): UsageChartData {
  const hoursBack = options.hours ?? 24;
  const first = Math.floor(options.now / HOUR) * HOUR - (hoursBack - 1) * HOUR;
  const hours: HourlyCalls[] = Array.from({ length: hoursBack }, (_, i) => ({
    hour: first + i * HOUR,
    calls: 0,
  }));
  let rollingHour = 0;
  if (state !== undefined) {
    for (const run of state.listRuns({ limit: 1_000 })) {
      if (run.startedAt < first) continue;
      const slot = hours[Math.floor((run.startedAt - first) / HOUR)];
      if (slot !== undefined) slot.calls += run.apiCalls;
    }
    for (const bucket of state.apiUsage.recent(options.now - HOUR)) rollingHour += bucket.count;
  }
  return {
    hours,
    rollingHour,
    limit: options.limit,
    share: options.share,
    allowed: options.allowed ?? Math.floor(options.limit * options.share),
  };
}

/** The most recent runs (plans excluded), oldest first, with their counts per outcome. */
export function runOutcomes(state: StateStore | undefined, limit = 20): RunOutcomes[] {
  if (state === undefined) return [];
  return state
    .listRuns({ mode: 'run', limit })
    .reverse()
    .map((r: RunRecord) => ({
      id: r.id,
      mode: r.mode,
      status: r.status,
      startedAt: r.startedAt,
      apiCalls: r.apiCalls,
      counters: r.counters,
    }));
}
