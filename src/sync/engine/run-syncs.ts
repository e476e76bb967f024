/**
 * The engine's entry points. `runSyncs` writes; `planSyncs` runs the same code with every write
 * replaced by its predicted outcome, and adds what the run would cost.
 */
import type { EngineConfig } from './ports.js';
import { executeSyncs } from './sync-engine.js';
import type { EngineDeps, PlanOptions, PlanReport, RunOptions, RunSummary } from './types.js';

/** Latency assumed per call when the plan made no call to measure it by (ms). */
const DEFAULT_LATENCY_MS = 150;
/** Requests in flight per entity endpoint (Autotask's thread limit). */
const LANES_PER_ENTITY = 3;
/** Records per page of a read-back query. */
const PAGE = 500;

/**
 * Runs every sync of `config` (or `options.only`) in dependency order (companies → contacts →
 * opportunities, overlapping where dependencies allow): extract → map → match → load → checkpoint.
 * Record-level problems are outcomes in the summary and the ledger, never exceptions; a
 * configuration that cannot run throws `ConfigError` before anything is written; a failure that
 * stops the run (credentials refused, budget exhausted) ends it with `status: 'failed'` and `error`.
 */
export async function runSyncs(
  deps: EngineDeps,
  config: EngineConfig,
  options: RunOptions = {},
): Promise<RunSummary> {
  return (await executeSyncs(deps, config, options, 'run')).summary;
}

/**
 * Plans every sync of `config` (or `options.only`) without writing to Autotask: the same code as
 * `runSyncs`, with writes replaced by their predicted outcome. Reports counts per action, field-level
 * diffs, the calls the run will cost against the budget left this hour, and an ETA.
 */
export async function planSyncs(
  deps: EngineDeps,
  config: EngineConfig,
  options: PlanOptions = {},
): Promise<PlanReport> {
  const { summary, readCalls, readMs, writesByEntity } = await executeSyncs(deps, config, options, 'plan');
  let writes = 0;
  let readBack = 0;
  let slowestEntityMs = 0;
  const latency = readCalls > 0 ? Math.max(1, readMs / readCalls) : DEFAULT_LATENCY_MS;
  for (const count of writesByEntity.values()) {
    writes += count;
    if (count > 0) readBack += Math.ceil(count / PAGE);
    slowestEntityMs = Math.max(slowestEntityMs, Math.ceil(count / LANES_PER_ENTITY) * latency);
  }
  const estimatedCalls = readCalls + writes + readBack;
  let budgetLeft: number | null = null;
  let waitMs = 0;
  try {
    const budget = deps.client.budget();
    budgetLeft = Math.max(0, budget.allowed - budget.used);
    if (estimatedCalls > budgetLeft && budget.allowed > 0)
      waitMs = Math.ceil((estimatedCalls - budgetLeft) / budget.allowed) * 3_600_000;
  } catch {
    budgetLeft = null;
  }
  const etaMs = Math.round(readCalls * latency + slowestEntityMs + readBack * latency + waitMs);
  return { ...summary, mode: 'plan', estimatedCalls, budgetLeft, etaMs };
}
