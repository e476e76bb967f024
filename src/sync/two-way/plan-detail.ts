/**
 * What a two-way sync result wrote (run) or would write (plan) to each side, in the plan detail's
 * shape (`TwoWayPlanDetail`): what `plan` reports per sync and what the web app shows of a run.
 */
import type { TwoWayPlanDetail, TwoWaySyncResult } from './types.js';

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
