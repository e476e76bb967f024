/**
 * `plan` for two-way syncs: the same pass as `run` (read both sides, match, settle every field by its
 * rule) with nothing written to Autotask or the tables and no link, intent or cursor moved. The report
 * has the shape of a one-way plan: per sync, records per outcome and the outcomes with the fields that
 * would change on each side (old → new, the side written, the side that wins), plus what each side
 * would receive, the calls the run would cost and the budget left.
 *
 * Calls a plan spends: the metadata the client has not cached, then per sync the read `run` would
 * make (one query per 500 changed records, or the whole object on a full read), a lookup by key of
 * new rows on an incremental read, and a read of records whose last write failed. No writes.
 */
import { RECORD_ACTIONS, type ActionCounts, type RecordOutcome } from '../engine/types.js';
import type { LedgerAction } from '../../state/state-store.js';
import { ledgerEntryOutcome } from './ledger-outcome.js';
import { twoWaySyncPlan } from './plan-detail.js';
import { executeTwoWaySyncs } from './run-two-way-syncs.js';
import type { TwoWaySpec } from './two-way-spec.js';
import type { TwoWayDeps, TwoWayPlanOptions, TwoWayPlanReport, TwoWaySyncPlan } from './types.js';

/** Latency assumed per call when the plan made no call to measure it by (ms). */
const DEFAULT_LATENCY_MS = 150;
/** Writes in flight per entity endpoint (Autotask's thread limit). */
const LANES = 3;
/** Outcomes worth listing: everything but `unchanged` (never in a two-way ledger). */
const LISTED: readonly LedgerAction[] = ['invalid', 'conflict', 'failed', 'skipped', 'created', 'updated'];

export async function planTwoWaySyncs(
  deps: TwoWayDeps,
  specs: readonly TwoWaySpec[],
  options: TwoWayPlanOptions = {},
): Promise<TwoWayPlanReport> {
  const { state, clock, client } = deps;
  const startedAt = clock.now();
  const summary = await executeTwoWaySyncs(deps, specs, options, 'plan');
  const finishedAt = clock.now();
  const limit = options.maxOutcomesInReport ?? 100;
  const syncs: TwoWaySyncPlan[] = summary.results.map((r) => {
    const ledger = state.countLedger(summary.runId, r.name);
    const counts: ActionCounts = { ...ledger, unchanged: r.unchanged };
    // problems first, then changes, each in the order the pass met them
    const outcomes: RecordOutcome[] = [];
    for (const action of LISTED) {
      if (outcomes.length >= limit) break;
      for (const e of state.queryLedger({
        runId: summary.runId,
        sync: r.name,
        action,
        limit: limit - outcomes.length,
      }))
        outcomes.push(ledgerEntryOutcome(e));
    }
    return twoWaySyncPlan(r, counts, outcomes);
  });
  const counts = Object.fromEntries(
    RECORD_ACTIONS.map((a) => [a, syncs.reduce((n, s) => n + s.counts[a], 0)]),
  ) as ActionCounts;

  // the run makes the plan's reads again, then one call per record written in Autotask
  const readCalls = summary.apiCalls;
  const writes = syncs.reduce(
    (n, s) => n + s.twoWay.autotask.create + s.twoWay.autotask.update + s.twoWay.autotask.deactivate,
    0,
  );
  const estimatedCalls = readCalls + writes;
  const latency = readCalls > 0 ? Math.max(1, (finishedAt - startedAt) / readCalls) : DEFAULT_LATENCY_MS;
  let budgetLeft: number | null = null;
  let waitMs = 0;
  const budget = client.budget?.();
  if (budget !== undefined) {
    budgetLeft = Math.max(0, budget.allowed - budget.used);
    if (estimatedCalls > budgetLeft && budget.allowed > 0)
      waitMs = Math.ceil((estimatedCalls - budgetLeft) / budget.allowed) * 3_600_000;
  }
  // syncs run one after another; each one's writes go three at a time
  const writeMs = syncs.reduce((ms, s) => {
    const n = s.twoWay.autotask.create + s.twoWay.autotask.update + s.twoWay.autotask.deactivate;
    return ms + Math.ceil(n / LANES) * latency;
  }, 0);
  const etaMs = Math.round(readCalls * latency + writeMs + waitMs);
  return {
    runId: summary.runId,
    mode: 'plan',
    status: summary.status,
    counts,
    apiCalls: summary.apiCalls,
    startedAt,
    finishedAt,
    syncs,
    ...(summary.error ? { error: summary.error } : {}),
    estimatedCalls,
    budgetLeft,
    etaMs,
  };
}
