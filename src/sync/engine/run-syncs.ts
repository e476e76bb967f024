import type { EngineConfig } from './ports.js';
import type { EngineDeps, PlanOptions, PlanReport, RunOptions, RunSummary } from './types.js';

/**
 * Plans every sync of `config` (or `options.only`) without writing to Autotask: same code path as
 * `runSyncs`, with writes replaced by their predicted outcome. Reports counts per action, field-level
 * diffs, the calls the run will cost against the budget left this hour, and an ETA.
 */
export async function planSyncs(
  deps: EngineDeps,
  config: EngineConfig,
  options: PlanOptions = {},
): Promise<PlanReport> {
  void deps;
  void config;
  void options;
  return Promise.reject(new Error('planSyncs: being implemented (helper G)'));
}

/**
 * Runs every sync of `config` (or `options.only`) in dependency order (companies → contacts →
 * opportunities, overlapping where dependencies allow): extract → map → match → load → checkpoint.
 */
export async function runSyncs(
  deps: EngineDeps,
  config: EngineConfig,
  options: RunOptions = {},
): Promise<RunSummary> {
  void deps;
  void config;
  void options;
  return Promise.reject(new Error('runSyncs: being implemented (helper G)'));
}
