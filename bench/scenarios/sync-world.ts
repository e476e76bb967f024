/**
 * The shared setting of the sync scenarios (initial load, unchanged re-run, 5 %-changed re-run,
 * export): one data set, one emulator for the engine and a second, identical one for the naive
 * baseline, so both start from an empty tenant with the same limits.
 */
import { join } from 'node:path';

import { emulatorEnv, type BenchEmulator, type BenchEmulatorSettings } from '../lib/bench-emulator.js';
import { writeBenchData, type BenchDataSet, type BenchSizes } from '../lib/bench-data.js';
import { countCalls, type BenchContext } from '../lib/scenario-types.js';
import type { Task, TaskResult } from '../lib/tasks.js';

export interface SyncWorld {
  ctx: BenchContext;
  data: BenchDataSet;
  engine: BenchEmulator;
  naive: BenchEmulator;
  /** Runs a task against the engine's emulator; returns its result and the emulator's call count. */
  engineTask(
    kind: 'run' | 'plan' | 'export',
    options?: { timeline?: boolean; only?: string[] },
  ): Promise<Measured>;
  /** Runs a naive-baseline task against the naive emulator. */
  naiveTask(kind: 'naive-load' | 'naive-export'): Promise<Measured>;
  close(): Promise<void>;
}

export interface Measured {
  result: TaskResult;
  /** Calls the emulator counted. */
  calls: number;
  /** The emulator's count per operation (create, update, query, metadata, ...). */
  byOperation: Record<string, number>;
}

export async function openSyncWorld(
  ctx: BenchContext,
  name: string,
  sizes: BenchSizes,
  settings: BenchEmulatorSettings,
): Promise<SyncWorld> {
  const data = writeBenchData(join(ctx.workDir, name), sizes);
  const [engine, naive] = await Promise.all([ctx.startEmulator(settings), ctx.startEmulator(settings)]);
  const run = async (emulator: BenchEmulator, task: Task): Promise<Measured> => {
    const { value, calls, byOperation } = await countCalls(emulator, () => ctx.runner(task));
    return { result: value, calls, byOperation };
  };
  return {
    ctx,
    data,
    engine,
    naive,
    engineTask(kind, options = {}) {
      const base = {
        configPath: data.configPath,
        env: emulatorEnv(engine),
        timeline: options.timeline ?? false,
      };
      const only = options.only === undefined ? {} : { only: options.only };
      return run(
        engine,
        kind === 'export' ? { kind: 'export', ...base } : { kind: 'sync', mode: kind, ...base, ...only },
      );
    },
    naiveTask(kind) {
      return run(naive, { kind, configPath: data.configPath, env: emulatorEnv(naive) });
    },
    async close() {
      await Promise.all([engine.close(), naive.close()]);
    },
  };
}
