export * from './two-way-spec.js';
export * from './types.js';
export * from './two-way-errors.js';
export * from './canonical-value.js';
export * from './field-rule.js';
export { runTwoWaySyncs } from './run-two-way-syncs.js';
export { planTwoWaySyncs } from './plan-two-way-syncs.js';
export {
  runTwoWaySync,
  type PlannedLinks,
  type TwoWayFieldChange,
  type TwoWaySyncContext,
} from './run-two-way-sync.js';
export { renderTwoWaySummary, twoWayExitCode } from './render-two-way-summary.js';
export { ledgerEntryOutcome } from './ledger-outcome.js';
export { twoWayPlanDetail, twoWaySyncPlan } from './plan-detail.js';
