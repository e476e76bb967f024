/** What every scenario returns and what it is given. */
import type { BenchEmulator, BenchEmulatorSettings } from './bench-emulator.js';
import type { TaskRunner } from './task-runner.js';

/** One row of the results (the JSON shape, plus the target and its verdict). */
export interface ScenarioResult {
  name: string;
  records: number;
  /** Autotask calls, as counted by the emulator. */
  calls: number;
  callsPerRecord: number;
  wallSeconds: number;
  recordsPerSecond: number;
  peakRssMb: number;
  /** The naive baseline's calls on the same data and emulator settings (null: not applicable). */
  baselineCalls: number | null;
  /** The figure the target is about, in words, e.g. `1.0003 calls/record`. */
  figure: string;
  /** The target, e.g. `≤ 1.01 calls/record`. */
  target: string;
  /** null when the scenario has no target. */
  pass: boolean | null;
  /** Anything else worth reading (per-endpoint rates, outcome counts, ...). */
  notes: string[];
}

export interface BenchContext {
  runner: TaskRunner;
  startEmulator(settings: BenchEmulatorSettings): Promise<BenchEmulator>;
  /** A folder of this bench run; scenarios create their own subfolders. */
  workDir: string;
  log(message: string): void;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Counts the emulator's calls made by `fn` (its counters are reset first). */
export async function countCalls<T>(
  emulator: BenchEmulator,
  fn: () => Promise<T>,
): Promise<{ value: T; calls: number; byOperation: Record<string, number> }> {
  await emulator.resetCounters();
  const value = await fn();
  const stats = await emulator.stats();
  return { value, calls: stats.total, byOperation: stats.byOperation };
}

/** `create 140, query 6, metadata 4`: the emulator's count per operation, largest first. */
export function formatOperations(byOperation: Record<string, number>): string {
  return Object.entries(byOperation)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
}
