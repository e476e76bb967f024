/**
 * A two-way sync result in the report shapes `plan` and the web app share: what it wrote (run) or
 * would write (plan) to each side (`TwoWayPlanDetail`), and the whole sync as a report's entry.
 */
import type { ActionCounts, RecordOutcome } from '../engine/types.js';
import type { TwoWayPlanDetail, TwoWaySyncPlan, TwoWaySyncResult } from './types.js';

export function twoWayPlanDetail(r: TwoWaySyncResult): TwoWayPlanDetail {
  return {
    autotask: { create: r.autotask.created, update: r.autotask.updated, deactivate: r.autotask.deactivated },
    table: { insert: r.sql.created, update: r.sql.updated, deactivate: r.sql.deactivated },
    overridden: r.overridden,
    deletesSeen: r.deletesSeen,
    autotaskRead: r.autotaskRead,
    sqlRead: r.sqlRead,
    read: r.read,
    notes: r.notes,
  };
}

/** A two-way sync in a report of the one-way shape: its counts and listed outcomes, and `twoWayPlanDetail`. */
export function twoWaySyncPlan(
  r: TwoWaySyncResult,
  counts: ActionCounts,
  outcomes: RecordOutcome[],
): TwoWaySyncPlan {
  return {
    name: r.name,
    object: r.object,
    counts,
    apiCalls: r.apiCalls,
    outcomes,
    kind: 'two-way',
    twoWay: twoWayPlanDetail(r),
  };
}
