/**
 * The units of work a scenario measures, each as a new CLI process would do it: `sync` (the engine's
 * run or plan, wired by the CLI's own session code from the configuration file and `AUTOTASK_*`
 * variables), `export`, and the naive baseline's `naive-load` / `naive-export`. A task measures itself
 * (wall time, CPU of this process, peak RSS) and returns plain JSON, so it can run in a child process
 * (`task-worker.ts`, what `npm run bench` does: one process per task, so each peak RSS is the task's
 * own) or in this process (the CI test).
 */
import { Writable } from 'node:stream';
import { dirname } from 'node:path';

import { createAutotaskClient } from '../../src/autotask/index.js';
import type { CliContext } from '../../src/cli/context.js';
import { withSyncSession } from '../../src/cli/commands/sync-session.js';
import { planSyncs, runSyncs, type ActionCounts } from '../../src/sync/engine/index.js';
import { runExports } from '../../src/sync/export/index.js';
import { naiveExport } from './naive-export.js';
import { naiveLoad } from './naive-loader.js';
import { startCallTimeline, type EndpointTimeline } from './call-timeline.js';

export interface TaskBase {
  /** The benchmark configuration file (its folder holds the CSVs and the state database). */
  configPath: string;
  /** `AUTOTASK_*` variables pointing at the emulator. */
  env: Record<string, string>;
  /** Record per-endpoint request times (for the throughput scenario). @default false */
  timeline?: boolean;
}

export type Task =
  | (TaskBase & {
      kind: 'sync';
      mode: 'run' | 'plan';
      /** Only these syncs (by name). @default every sync */
      only?: string[];
    })
  | (TaskBase & { kind: 'export' })
  | (TaskBase & { kind: 'naive-load' })
  | (TaskBase & { kind: 'naive-export' });

export interface TaskResult {
  kind: Task['kind'];
  /** Records the task handled (source rows, or records exported). */
  records: number;
  /** Outcome counts of an engine run or plan. */
  counts?: ActionCounts;
  /** Status of an engine run or plan. */
  status?: string;
  /** Calls the product's client counted (the benchmark reports the emulator's count instead). */
  clientCalls: number;
  /** The plan's own estimate of what the run will cost. */
  estimatedCalls?: number;
  wallSeconds: number;
  /** CPU time of this process during the task (user + system), in µs. */
  cpuMicros: number;
  /**
   * CPU time of the engine call alone (`planSyncs` / `runSyncs`: extract, map, match, load,
   * checkpoint), without loading the configuration and opening the state store, in µs.
   */
  engineCpuMicros?: number;
  /** RSS when the task started, after the code was loaded, in MB. */
  startRssMb: number;
  /** Peak RSS of the process so far (the task's own when it runs in a child), in MB. */
  peakRssMb: number;
  /** Per-endpoint request timing, when asked. */
  timeline?: Record<string, EndpointTimeline>;
  /** Failures of the naive baseline (first few), or the engine's run error. */
  problems: string[];
}

const mb = (bytes: number): number => bytes / 1024 / 1024;

function silentContext(configPath: string, env: Record<string, string>): CliContext {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return {
    stdout: sink,
    stderr: process.stderr,
    env,
    cwd: dirname(configPath),
    signal: new AbortController().signal,
  };
}

function naiveClient(env: Record<string, string>) {
  return createAutotaskClient({
    username: env['AUTOTASK_USERNAME'] ?? '',
    secret: env['AUTOTASK_SECRET'] ?? '',
    integrationCode: env['AUTOTASK_INTEGRATION_CODE'] ?? '',
    url: env['AUTOTASK_URL'] ?? '',
  });
}

type Body = Omit<TaskResult, 'wallSeconds' | 'cpuMicros' | 'startRssMb' | 'peakRssMb' | 'kind' | 'timeline'>;

async function body(task: Task): Promise<Body> {
  const ctx = silentContext(task.configPath, task.env);
  switch (task.kind) {
    case 'sync':
      return withSyncSession(ctx, { config: task.configPath }, async ({ deps, config }) => {
        const options = task.only === undefined ? {} : { only: task.only };
        const cpu = process.cpuUsage();
        const engineCpu = (): number => {
          const used = process.cpuUsage(cpu);
          return used.user + used.system;
        };
        if (task.mode === 'plan') {
          const plan = await planSyncs(deps, config, options);
          return {
            engineCpuMicros: engineCpu(),
            records: sumCounts(plan.counts),
            counts: plan.counts,
            status: plan.status,
            clientCalls: plan.apiCalls,
            estimatedCalls: plan.estimatedCalls,
            problems: plan.error ? [`${plan.error.code}: ${plan.error.message}`] : [],
          };
        }
        const run = await runSyncs(deps, config, options);
        return {
          engineCpuMicros: engineCpu(),
          records: sumCounts(run.counts),
          counts: run.counts,
          status: run.status,
          clientCalls: run.apiCalls,
          problems: [
            ...(run.error ? [`${run.error.code}: ${run.error.message}`] : []),
            ...run.syncs.flatMap((s) =>
              s.outcomes
                .filter((o) => o.action === 'failed' || o.action === 'invalid' || o.action === 'conflict')
                .slice(0, 3)
                .map((o) => `${s.name} ${o.action} ${o.location ?? ''}: ${o.reason ?? ''}`),
            ),
          ],
        };
      });
    case 'export':
      return withSyncSession(ctx, { config: task.configPath }, async ({ deps, config }) => {
        const summary = await runExports(config.exports, { client: deps.client, store: deps.state });
        return {
          records: summary.exports.reduce((n, e) => n + e.read, 0),
          status: summary.status,
          clientCalls: summary.apiCalls,
          problems: summary.failures.map((f) => `${f.name}: ${f.code}: ${f.message}`),
        };
      });
    case 'naive-load': {
      const client = naiveClient(task.env);
      const r = await naiveLoad(client, dirname(task.configPath));
      return { records: r.records, clientCalls: client.stats().totalCalls, problems: r.failures };
    }
    case 'naive-export': {
      const client = naiveClient(task.env);
      const r = await naiveExport(client, dirname(task.configPath));
      return { records: r.records, clientCalls: client.stats().totalCalls, problems: [] };
    }
  }
}

function sumCounts(counts: ActionCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Runs a task in this process and measures it. */
export async function runTask(task: Task): Promise<TaskResult> {
  const timeline = task.timeline ? startCallTimeline() : undefined;
  const startRssMb = mb(process.memoryUsage.rss());
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await body(task);
    const wallSeconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return {
      kind: task.kind,
      ...result,
      wallSeconds,
      cpuMicros: used.user + used.system,
      startRssMb,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      ...(timeline ? { timeline: timeline.stop() } : {}),
    };
  } finally {
    timeline?.stop();
  }
}
