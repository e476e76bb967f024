/**
 * The `--json` document of a run or plan summary (`run --json`, `plan --json`, and the two-way part's
 * `{"twoWay": …}`): the totals per outcome at the top level and under `counts`, the calls, the
 * duration, each sync's counts and outcomes, the error if the run stopped, and a plan's cost.
 */
import type { PlanReport, RunSummary } from '../../sync/engine/index.js';

export function summaryJson(summary: RunSummary | PlanReport): Record<string, unknown> {
  const base: Record<string, unknown> = {
    runId: summary.runId,
    mode: summary.mode,
    status: summary.status,
    ...summary.counts,
    counts: summary.counts,
    apiCalls: summary.apiCalls,
    durationMs: summary.finishedAt - summary.startedAt,
    syncs: summary.syncs.map((s) => ({
      name: s.name,
      object: s.object,
      ...s.counts,
      apiCalls: s.apiCalls,
      outcomes: s.outcomes,
    })),
  };
  if (summary.error !== undefined) base['error'] = summary.error;
  if ('estimatedCalls' in summary) {
    base['estimatedCalls'] = summary.estimatedCalls;
    base['budgetLeft'] = summary.budgetLeft;
    base['etaMs'] = summary.etaMs;
  }
  return base;
}
