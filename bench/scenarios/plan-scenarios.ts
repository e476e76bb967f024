/**
 * Scenarios 6 and 7: the cost of planning. The emulator runs in its own process, so the CPU time
 * measured (`process.cpuUsage()` of the planning process, from the first source read to the report)
 * is the engine's, the client's and the source's alone. Memory: plan of a single very large CSV, in a
 * process of its own, whose peak RSS is reported.
 */
import { join } from 'node:path';

import { proportionalSizes, totalRecords, writeBenchData, writeLargeCompanyData } from '../lib/bench-data.js';
import { emulatorEnv } from '../lib/bench-emulator.js';
import {
  countCalls,
  formatOperations,
  round,
  type BenchContext,
  type ScenarioResult,
} from '../lib/scenario-types.js';
import type { TaskResult } from '../lib/tasks.js';

/** CPU per planned record, in µs. */
export const PLAN_MAX_CPU_MICROS_PER_RECORD = 50;
/** Peak RSS of planning a 1,000,000-row CSV, in MB. */
export const PLAN_MAX_PEAK_RSS_MB = 300;

async function planOnce(
  ctx: BenchContext,
  configPath: string,
): Promise<{ result: TaskResult; calls: number; byOperation: Record<string, number> }> {
  const emulator = await ctx.startEmulator({});
  try {
    const { value, calls, byOperation } = await countCalls(emulator, () =>
      ctx.runner({ kind: 'sync', mode: 'plan', configPath, env: emulatorEnv(emulator) }),
    );
    return { result: value, calls, byOperation };
  } finally {
    await emulator.close();
  }
}

function row(
  name: string,
  m: { result: TaskResult; calls: number; byOperation: Record<string, number> },
  verdict: Pick<ScenarioResult, 'figure' | 'target' | 'pass'>,
  notes: string[],
): ScenarioResult {
  const { result } = m;
  return {
    name,
    records: result.records,
    calls: m.calls,
    callsPerRecord: result.records ? round(m.calls / result.records, 6) : 0,
    wallSeconds: round(result.wallSeconds, 2),
    recordsPerSecond: result.wallSeconds > 0 ? round(result.records / result.wallSeconds, 1) : 0,
    peakRssMb: round(result.peakRssMb, 1),
    baselineCalls: null,
    ...verdict,
    notes: [
      `calls ${formatOperations(m.byOperation)}`,
      `plan estimates ${result.estimatedCalls ?? '?'} calls for the run`,
      ...notes,
      ...result.problems.slice(0, 5),
    ],
  };
}

/** Planning overhead: CPU µs per record for a plan of `records` (every record a create). */
export async function planOverheadScenario(ctx: BenchContext, records: number): Promise<ScenarioResult> {
  const sizes = proportionalSizes(records);
  const data = writeBenchData(join(ctx.workDir, 'plan-overhead'), sizes);
  ctx.log(`plan of ${totalRecords(sizes)} records (CPU per record)`);
  const m = await planOnce(ctx, data.configPath);
  const cpu = m.result.engineCpuMicros ?? m.result.cpuMicros;
  const perRecord = m.result.records ? cpu / m.result.records : Infinity;
  return row(
    `plan CPU at ${totalRecords(sizes)} records`,
    m,
    {
      figure: `${round(perRecord, 1)} µs CPU/record`,
      target: `≤ ${PLAN_MAX_CPU_MICROS_PER_RECORD} µs CPU/record`,
      pass: perRecord <= PLAN_MAX_CPU_MICROS_PER_RECORD && m.result.counts?.created === totalRecords(sizes),
    },
    [
      `${round(cpu / 1e6, 2)} s CPU in planSyncs (extract, map, match, plan, ledger); ` +
        `${round(m.result.cpuMicros / 1e6, 2)} s with loading the configuration and opening the state`,
    ],
  );
}

/** Peak memory of a plan of one CSV of `rows` companies, in a process of its own. */
export async function planMemoryScenario(ctx: BenchContext, rows: number): Promise<ScenarioResult> {
  const data = await writeLargeCompanyData(join(ctx.workDir, 'plan-memory'), rows);
  ctx.log(`plan of a ${rows}-row CSV (peak memory)`);
  const m = await planOnce(ctx, data.configPath);
  return row(
    `plan memory, ${rows}-row CSV`,
    m,
    {
      figure: `${round(m.result.peakRssMb, 1)} MB peak RSS`,
      target: `≤ ${PLAN_MAX_PEAK_RSS_MB} MB`,
      pass: m.result.peakRssMb <= PLAN_MAX_PEAK_RSS_MB && m.result.counts?.created === rows,
    },
    [
      `${round(m.result.startRssMb, 1)} MB RSS before the plan (node, tsx and the code)`,
      `${round((m.result.engineCpuMicros ?? m.result.cpuMicros) / Math.max(1, m.result.records), 1)} µs CPU/record in planSyncs`,
    ],
  );
}
