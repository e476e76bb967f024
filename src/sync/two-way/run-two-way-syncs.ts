/**
 * Runs (or plans) the `twoWay:` syncs of a configuration, in order (a sync a `ref` points at comes
 * first), as one run in the state store (mode `run` or `plan`). A record-level problem is an outcome
 * in the result and the ledger; the delete guard, an unreadable table or a refused credential stop the
 * run with `error`.
 */
import { AutotaskError } from '../../autotask/errors.js';
import { AppError, ConfigError } from '../../shared/errors.js';
import { payloadHash } from '../keys/payload-hash.js';
import { runTwoWaySync, type PlannedLinks } from './run-two-way-sync.js';
import type { TwoWaySpec } from './two-way-spec.js';
import type { TwoWayDeps, TwoWayRunOptions, TwoWayRunSummary, TwoWaySyncResult } from './types.js';

export async function runTwoWaySyncs(
  deps: TwoWayDeps,
  specs: readonly TwoWaySpec[],
  options: TwoWayRunOptions = {},
): Promise<TwoWayRunSummary> {
  return executeTwoWaySyncs(deps, specs, options, 'run');
}

/**
 * The shared body of `runTwoWaySyncs` and `planTwoWaySyncs`. In `plan` mode nothing is written to
 * Autotask or the tables and no link or cursor moves; the run (mode `plan`) and its ledger are kept.
 */
export async function executeTwoWaySyncs(
  deps: TwoWayDeps,
  specs: readonly TwoWaySpec[],
  options: TwoWayRunOptions,
  mode: 'run' | 'plan',
): Promise<TwoWayRunSummary> {
  const selected = specs.filter((s) => options.only === undefined || options.only.includes(s.name));
  const { state, client } = deps;
  const callsBefore = client.stats().totalCalls;
  const run = state.startRun({
    mode,
    syncNames: selected.map((s) => s.name),
    configHash: payloadHash(selected.map((s) => ({ ...s, table: { ...s.table, url: undefined } }))),
  });
  const planned: PlannedLinks | undefined = mode === 'plan' ? { rows: new Map(), ids: new Map() } : undefined;
  const results: TwoWaySyncResult[] = [];
  let error: TwoWayRunSummary['error'];
  let status: TwoWayRunSummary['status'] = 'succeeded';
  try {
    for (const spec of selected) {
      options.onProgress?.({ sync: spec.name, stage: 'extract', read: 0, done: 0 });
      const result = await runTwoWaySync(deps, spec, {
        runId: run.id,
        index: specs.indexOf(spec),
        all: specs,
        full: options.full ?? false,
        signal: options.signal,
        mode,
        planned,
        intentSettleMs: options.intentSettleMs,
      });
      results.push(result);
      if (options.onProgress !== undefined) {
        const done = Object.values(state.countLedger(run.id, spec.name)).reduce((n, c) => n + c, 0);
        const total = done + result.unchanged;
        const read = result.read.autotask + result.read.sql;
        options.onProgress({ sync: spec.name, stage: 'done', read, done: total, total });
      }
    }
    if (results.some((r) => r.failed + r.invalid + r.conflicts > 0)) status = 'partial';
  } catch (caught) {
    if (caught instanceof ConfigError) {
      state.finishRun(run.id, {
        status: 'failed',
        counters: {},
        apiCalls: client.stats().totalCalls - callsBefore,
      });
      throw caught;
    }
    if (!(caught instanceof AppError) && !(caught instanceof AutotaskError) && !options.signal?.aborted) {
      state.finishRun(run.id, {
        status: 'failed',
        counters: {},
        apiCalls: client.stats().totalCalls - callsBefore,
      });
      throw caught;
    }
    status = options.signal?.aborted ? 'aborted' : 'failed';
    error = {
      code: caught instanceof AppError ? caught.code : 'ABORTED',
      message: caught instanceof Error ? caught.message : String(caught),
    };
  }
  const apiCalls = client.stats().totalCalls - callsBefore;
  state.finishRun(run.id, { status, counters: countersOf(results, state.countLedger(run.id)), apiCalls });
  deps.logger.info({ runId: run.id, mode, status, apiCalls }, `two-way ${mode} finished`);
  return { runId: run.id, status, results, apiCalls, ...(error ? { error } : {}) };
}

/**
 * A run's counters: records per outcome as the ledger has them (the keys one-way runs use, so
 * history, charts and the web app count two-way runs alike; a record written on both sides counts
 * once), then what each side received.
 */
export function countersOf(
  results: readonly TwoWaySyncResult[],
  ledger: Readonly<Record<string, number>>,
): Record<string, number> {
  const c: Record<string, number> = { ...ledger, unchanged: 0 };
  const add = (k: string, n: number): void => {
    c[k] = (c[k] ?? 0) + n;
  };
  for (const r of results) {
    add('unchanged', r.unchanged);
    add('autotaskCreated', r.autotask.created);
    add('autotaskUpdated', r.autotask.updated);
    add('autotaskDeactivated', r.autotask.deactivated);
    add('sqlCreated', r.sql.created);
    add('sqlUpdated', r.sql.updated);
    add('sqlDeactivated', r.sql.deactivated);
    add('deletesSeen', r.deletesSeen);
  }
  return c;
}
