/**
 * The figures behind the app's charts: Autotask calls per hour against the configured share and the
 * tenant's limit, and the outcomes of each run.
 *
 * Calls per hour come from two records of the state database. The last hour (from the first minute
 * the rolling-hour budget looks at) is read from its per-minute call log (`api_usage`: every call this
 * installation made with this state, runs or not, in the minute it was made). That log keeps only
 * what the budget needs, so earlier hours come from the runs: each run's calls spread evenly over the
 * time it ran (a three-hour run counts in each of its hours, not all in the hour it started). Calls
 * outside runs (a connection test, metadata read by the Mapping page) show only in the last hour.
 */
import type { RunRecord, StateStore } from '../state/state-store.js';
import type { RunView } from './run-view.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface HourlyCalls {
  /** Start of the hour (ms since the epoch, UTC). */
  hour: number;
  calls: number;
}

export interface UsageChartData {
  /** The last `hours` hours, oldest first (see the module comment for where the figures come from). */
  hours: HourlyCalls[];
  /** From this moment on, `hours` counts the calls logged per minute; before it, runs' calls spread over their time. */
  loggedFrom: number;
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
  kind: RunView['kind'];
  sides: RunView['sides'];
}

/** Adds `calls` made evenly between `from` and `to` to the hour slots they overlap, up to `until`. */
function spread(hours: HourlyCalls[], calls: number, from: number, to: number, until: number): void {
  const first = hours[0]?.hour ?? 0;
  const slotOf = (at: number): HourlyCalls | undefined => hours[Math.floor((at - first) / HOUR)];
  if (to <= from) {
    if (from < until && from >= first) {
      const slot = slotOf(from);
      if (slot !== undefined) slot.calls += calls;
    }
    return;
  }
  const perMs = calls / (to - from);
  for (const slot of hours) {
    const start = Math.max(slot.hour, from);
    const end = Math.min(slot.hour + HOUR, to, until);
    if (end > start) slot.calls += perMs * (end - start);
  }
}

/** Calls per hour over the last `hours` hours (default 24). */
export function usageChartData(
  state: StateStore | undefined,
  options: { now: number; limit: number; share: number; allowed?: number; hours?: number },
): UsageChartData {
  const { now } = options;
  const hoursBack = options.hours ?? 24;
  const first = Math.floor(now / HOUR) * HOUR - (hoursBack - 1) * HOUR;
  const hours: HourlyCalls[] = Array.from({ length: hoursBack }, (_, i) => ({
    hour: first + i * HOUR,
    calls: 0,
  }));
  // the first minute the budget's rolling hour reads: the call log holds every minute from here on
  const loggedFrom = Math.floor((now - HOUR) / MINUTE) * MINUTE;
  let rollingHour = 0;
  if (state !== undefined) {
    for (const run of state.listRuns({ limit: 1_000 })) {
      const end = run.finishedAt ?? now;
      if (end < first || run.startedAt >= loggedFrom || run.apiCalls === 0) continue;
      spread(hours, run.apiCalls, run.startedAt, end, loggedFrom);
    }
    for (const slot of hours) slot.calls = Math.round(slot.calls);
    for (const bucket of state.apiUsage.recent(loggedFrom)) {
      const slot = hours[Math.floor((bucket.at - first) / HOUR)];
      if (slot !== undefined) slot.calls += bucket.count;
      rollingHour += bucket.count;
    }
  }
  return {
    hours,
    loggedFrom,
    rollingHour,
    limit: options.limit,
    share: options.share,
    allowed: options.allowed ?? Math.floor(options.limit * options.share),
  };
}

/** The most recent runs (plans excluded), oldest first, with their counts per outcome. */
export function runOutcomes(
  state: StateStore | undefined,
  view: (run: RunRecord) => RunView,
  limit = 20,
): RunOutcomes[] {
  if (state === undefined) return [];
  return state
    .listRuns({ mode: 'run', limit })
    .reverse()
    .map((r) => {
      const v = view(r);
      return {
        id: r.id,
        mode: r.mode,
        status: r.status,
        startedAt: r.startedAt,
        apiCalls: r.apiCalls,
        counters: r.counters,
        kind: v.kind,
        sides: v.sides,
      };
    });
}
