/**
 * Scenarios 1–4 on one data set: the initial load, the same run with nothing changed, the run with
 * 5 % of the rows changed, and the export of everything to CSV. Each engine step is followed by the
 * naive baseline doing the same on its own emulator, and their calls are compared.
 */
import { changedRecords, totalRecords, writeBenchData, type BenchSizes } from '../lib/bench-data.js';
import type { BenchEmulatorSettings } from '../lib/bench-emulator.js';
import { formatOperations, round, type BenchContext, type ScenarioResult } from '../lib/scenario-types.js';
import { openSyncWorld, type Measured } from './sync-world.js';

/** Initial load target: calls per record. */
export const INITIAL_LOAD_MAX_CALLS_PER_RECORD = 1.01;
/** Unchanged re-run target: calls in total. */
export const UNCHANGED_MAX_CALLS = 10;
/** Changed re-run target: `factor × changed + constant` calls. */
export const CHANGED_CALLS = { factor: 1.01, constant: 10 };
/** Export target (ours, not the issue's): one call per page of 500 per object, plus this many. */
export const EXPORT_EXTRA_CALLS = 10;

export function resultOf(
  name: string,
  measured: Measured,
  baseline: Measured | undefined,
  verdict: { figure: string; target: string; pass: boolean | null },
  notes: string[] = [],
): ScenarioResult {
  const { result, calls } = measured;
  const problems = [...result.problems, ...(baseline?.result.problems.map((p) => `baseline: ${p}`) ?? [])];
  return {
    name,
    records: result.records,
    calls,
    callsPerRecord: result.records ? round(calls / result.records, 4) : 0,
    wallSeconds: round(result.wallSeconds, 2),
    recordsPerSecond: result.wallSeconds > 0 ? round(result.records / result.wallSeconds, 1) : 0,
    peakRssMb: round(result.peakRssMb, 1),
    baselineCalls: baseline?.calls ?? null,
    ...verdict,
    notes: [
      ...(result.counts ? [`outcomes ${formatCounts(result.counts)}`] : []),
      `calls ${formatOperations(measured.byOperation)}`,
      ...(baseline ? [`baseline ${round(baseline.result.wallSeconds, 1)} s wall`] : []),
      ...notes,
      ...problems.slice(0, 6),
    ],
  };
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

export async function syncScenarios(
  ctx: BenchContext,
  sizes: BenchSizes,
  settings: BenchEmulatorSettings,
  options: {
    /** Run the naive baseline too. @default true */
    baseline?: boolean;
    /**
     * Run each baseline step at the same time as the engine's (on its own emulator): the suite
     * takes less time, both wall times get worse. Call counts are unaffected. @default false
     */
    parallelBaseline?: boolean;
  } = {},
): Promise<ScenarioResult[]> {
  const withBaseline = options.baseline ?? true;
  const world = await openSyncWorld(ctx, 'sync', sizes, settings);
  /** The engine's step and the baseline's, one after the other or (to save time) at once. */
  const both = async (
    engine: () => Promise<Measured>,
    naive: () => Promise<Measured>,
  ): Promise<[Measured, Measured | undefined]> => {
    if (!withBaseline) return [await engine(), undefined];
    if (options.parallelBaseline) return Promise.all([engine(), naive()]);
    const ours = await engine();
    return [ours, await naive()];
  };
  const results: ScenarioResult[] = [];
  const records = totalRecords(sizes);
  try {
    ctx.log(`initial load of ${records} records`);
    const [initial, initialBase] = await both(
      () => world.engineTask('run'),
      () => world.naiveTask('naive-load'),
    );
    const perRecord = initial.calls / records;
    results.push(
      resultOf('initial load', initial, initialBase, {
        figure: `${perRecord.toFixed(4)} calls/record`,
        target: `≤ ${INITIAL_LOAD_MAX_CALLS_PER_RECORD} calls/record`,
        pass: perRecord <= INITIAL_LOAD_MAX_CALLS_PER_RECORD && initial.result.counts?.created === records,
      }),
    );

    ctx.log('re-run with nothing changed');
    const [unchanged, unchangedBase] = await both(
      () => world.engineTask('run'),
      () => world.naiveTask('naive-load'),
    );
    results.push(
      resultOf('unchanged re-run', unchanged, unchangedBase, {
        figure: `${unchanged.calls} calls`,
        target: `≤ ${UNCHANGED_MAX_CALLS} calls`,
        pass: unchanged.calls <= UNCHANGED_MAX_CALLS && unchanged.result.counts?.unchanged === records,
      }),
    );

    const changed = changedRecords(sizes);
    writeBenchData(world.data.dir, sizes, { changed: true });
    ctx.log(`re-run with ${changed} rows changed`);
    const [changedRun, changedBase] = await both(
      () => world.engineTask('run'),
      () => world.naiveTask('naive-load'),
    );
    const allowed = CHANGED_CALLS.factor * changed + CHANGED_CALLS.constant;
    results.push(
      resultOf('5 % changed re-run', changedRun, changedBase, {
        figure: `${changedRun.calls} calls for ${changed} changed`,
        target: `≤ ${CHANGED_CALLS.factor} × ${changed} + ${CHANGED_CALLS.constant} = ${Math.floor(allowed)}`,
        pass: changedRun.calls <= allowed && changedRun.result.counts?.updated === changed,
      }),
    );

    ctx.log('export of everything to CSV');
    const [exported, exportBase] = await both(
      () => world.engineTask('export'),
      () => world.naiveTask('naive-export'),
    );
    const pages =
      Math.ceil(sizes.companies / 500) +
      Math.ceil(sizes.contacts / 500) +
      Math.ceil(sizes.opportunities / 500);
    results.push(
      resultOf('export to CSV', exported, exportBase, {
        figure: `${exported.calls} calls`,
        target: `≤ ${pages} pages + ${EXPORT_EXTRA_CALLS}`,
        pass: exported.calls <= pages + EXPORT_EXTRA_CALLS && exported.result.records >= records,
      }),
    );
  } finally {
    await world.close();
  }
  return results;
}
