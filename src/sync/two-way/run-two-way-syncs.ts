/**
 * Runs the `twoWay:` syncs of a configuration, in order (a sync a `ref` points at comes first), as
 * one run in the state store (mode `run`). A record-level problem is an outcome in the result and the
 * ledger; the delete guard, an unreadable table or a refused credential stop the run with `error`.
 */
import { AutotaskError } from '../../autotask/errors.js';
import { AppError, ConfigError } from '../../shared/errors.js';
import { payloadHash } from '../keys/payload-hash.js';
import { runTwoWaySync } from './run-two-way-sync.js';
import type { TwoWaySpec } from './two-way-spec.js';
import type { TwoWayDeps, TwoWayRunOptions, TwoWayRunSummary, TwoWaySyncResult } from './types.js';

export async function runTwoWaySyncs(
  deps: TwoWayDeps,
  specs: readonly TwoWaySpec[],
  options: TwoWayRunOptions = {},
): Promise<TwoWayRunSummary> {
  const selected = specs.filter((s) => options.only === undefined || options.only.includes(s.name));
  const { state, client } = deps;
  const callsBefore = client.stats().totalCalls;
  const run = state.startRun({
    mode: 'run',
    syncNames: selected.map((s) => s.name),
    configHash: payloadHash(selected.map((s) => ({ ...s, table: { ...s.table, url: undefined } }))),
  });
  const results: TwoWaySyncResult[] = [];
  let error: TwoWayRunSummary['error'];
  let status: TwoWayRunSummary['status'] = 'succeeded';
  try {
    for (const spec of selected) {
      results.push(
        await runTwoWaySync(deps, spec, {
          runId: run.id,
          index: specs.indexOf(spec),
          all: specs,
          full: options.full ?? false,
          signal: options.signal,
        }),
      );
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
  state.finishRun(run.id, { status, counters: countersOf(results), apiCalls });
  deps.logger.info({ runId: run.id, status, apiCalls }, 'two-way run finished');
  return { runId: run.id, status, results, apiCalls, ...(error ? { error } : {}) };
}

function countersOf(results: readonly TwoWaySyncResult[]): Record<string, number> {
  const c: Record<string, number> = {};
  const add = (k: string, n: number): void => {
    c[k] = (c[k] ?? 0) + n;
  };
  for (const r of results) {
    add('autotaskCreated', r.autotask.created);
    add('autotaskUpdated', r.autotask.updated);
    add('autotaskDeactivated', r.autotask.deactivated);
    add('sqlCreated', r.sql.created);
    add('sqlUpdated', r.sql.updated);
    add('sqlDeactivated', r.sql.deactivated);
    add('unchanged', r.unchanged);
    add('conflict', r.conflicts);
    add('invalid', r.invalid);
    add('failed', r.failed);
    add('deletesSeen', r.deletesSeen);
  }
  return c;
}
