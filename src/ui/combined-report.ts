/**
 * What the web app's Plan and Run show when a configuration has one-way syncs (`syncs:`), two-way
 * syncs (`twoWay:`) or both. The CLI runs (and plans) them as two runs, one after the other, and
 * prints two reports; the page shows one: the one-way report's shape (counts per outcome, syncs,
 * calls, cost and budget) over both parts, each sync tagged with its `kind`, a two-way sync with what
 * each side receives (`twoWay`), and the ids of the runs the state store recorded (`runIds`).
 */
import type { StateStore } from '../state/state-store.js';
import {
  emptyCounts,
  RECORD_ACTIONS,
  type ActionCounts,
  type PlanReport,
  type RecordOutcome,
  type RunSummary,
  type SyncSummary,
} from '../sync/engine/index.js';
import {
  ledgerEntryOutcome,
  twoWaySyncPlan,
  type TwoWayPlanDetail,
  type TwoWayPlanReport,
  type TwoWayRunSummary,
} from '../sync/two-way/index.js';

/** A sync of either kind in a web report. */
export interface WebSyncSummary extends SyncSummary {
  kind: 'one-way' | 'two-way';
  /** Two-way syncs only: what each side received (run) or would receive (plan). */
  twoWay?: TwoWayPlanDetail;
}

/** One run of the web app: the one-way run, the two-way run, or both as one summary. */
export interface WebRunSummary extends RunSummary {
  syncs: WebSyncSummary[];
  /** The state store's runs behind it, in the order they ran (one-way first). `runId` is the first. */
  runIds: number[];
}

/** One plan of the web app (see `WebRunSummary`), with the cost of both parts. */
export interface WebPlanReport extends PlanReport {
  syncs: WebSyncSummary[];
  runIds: number[];
}

type Status = RunSummary['status'];
const SEVERITY: Record<Status, number> = { succeeded: 0, partial: 1, aborted: 2, failed: 3 };
/** Problems listed per two-way sync in a run's summary (the ledger keeps every record). */
const PROBLEMS_LISTED = 100;

function worst(a: Status, b: Status): Status {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

function addCounts(a: ActionCounts, b: ActionCounts): ActionCounts {
  const sum = emptyCounts();
  for (const action of RECORD_ACTIONS) sum[action] = a[action] + b[action];
  return sum;
}

/**
 * A two-way run in the one-way summary's shape: records per outcome from the run's ledger (a record
 * written on both sides counts once), its conflicts, invalid and failed records, and per side what it
 * wrote.
 */
export function twoWayRunAsSummary(summary: TwoWayRunSummary, state: StateStore): WebRunSummary {
  const run = state.getRun(summary.runId);
  const syncs: WebSyncSummary[] = summary.results.map((r) => {
    const counts: ActionCounts = { ...state.countLedger(summary.runId, r.name), unchanged: r.unchanged };
    const problems = state.queryLedger({
      runId: summary.runId,
      sync: r.name,
      action: ['conflict', 'invalid', 'failed'],
      limit: PROBLEMS_LISTED,
    });
    const outcomes: RecordOutcome[] = problems.map(ledgerEntryOutcome);
    return twoWaySyncPlan(r, counts, outcomes);
  });
  const counts = syncs.reduce((sum, s) => addCounts(sum, s.counts), emptyCounts());
  return {
    runId: summary.runId,
    runIds: [summary.runId],
    mode: 'run',
    status: summary.status,
    counts,
    apiCalls: summary.apiCalls,
    startedAt: run?.startedAt ?? 0,
    finishedAt: run?.finishedAt ?? run?.startedAt ?? 0,
    syncs,
    ...(summary.error === undefined ? {} : { error: summary.error }),
  };
}

function tagged(summary: RunSummary): WebSyncSummary[] {
  return summary.syncs.map((s) =>
    'kind' in s && (s as WebSyncSummary).kind === 'two-way'
      ? (s as WebSyncSummary)
      : { ...s, kind: 'one-way' as const },
  );
}

/** Several runs (one-way first) as one summary. `parts` must not be empty. */
export function combineRuns(parts: readonly RunSummary[]): WebRunSummary {
  const [first, ...rest] = parts;
  if (first === undefined) throw new Error('combineRuns: nothing to combine');
  let combined: WebRunSummary = {
    ...first,
    syncs: tagged(first),
    runIds: [first.runId],
  };
  for (const part of rest)
    combined = {
      ...combined,
      status: worst(combined.status, part.status),
      counts: addCounts(combined.counts, part.counts),
      apiCalls: combined.apiCalls + part.apiCalls,
      startedAt: Math.min(combined.startedAt, part.startedAt),
      finishedAt: Math.max(combined.finishedAt, part.finishedAt),
      syncs: [...combined.syncs, ...tagged(part)],
      runIds: [...combined.runIds, part.runId],
      ...(combined.error === undefined && part.error !== undefined ? { error: part.error } : {}),
    };
  return combined;
}

/**
 * A one-way plan and a two-way plan as one: calls and time add up (the parts run one after the
 * other); the budget left is the lower reading (the later one, after the first plan's reads).
 */
export function combinePlans(parts: readonly (PlanReport | TwoWayPlanReport)[]): WebPlanReport {
  const run = combineRuns(parts);
  const readings = parts.map((p) => p.budgetLeft).filter((b): b is number => b !== null);
  return {
    ...run,
    mode: 'plan',
    estimatedCalls: parts.reduce((n, p) => n + p.estimatedCalls, 0),
    budgetLeft: readings.length === 0 ? null : Math.min(...readings),
    etaMs: parts.reduce((n, p) => n + p.etaMs, 0),
  };
}
