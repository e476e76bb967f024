/**
 * The benchmark suite of issue 7: API economy and throughput against the physical limits, side by
 * side with the naive approach. Prints a table with every figure, its target and pass/fail, and (full
 * variant) writes `bench/results.md` and `bench/results.json`.
 *
 *   npm run bench                      # full suite (about 5–10 minutes on 2 cores)
 *   npm run bench -- --quick           # small variant (about a minute); writes nothing unless --out
 *   npm run bench -- --only sync,plan  # some scenario groups: sync, throughput, plan, memory
 *   npm run bench -- --out DIR         # write results.md/.json into DIR instead
 *   npm run bench -- --skip-baseline   # engine only (diagnosis): no naive runs, no ratios
 *   npm run bench -- --keep-data       # keep the generated data and state in the temp folder
 *   npm run bench -- --parallel-baseline  # naive baseline beside the engine (faster suite, worse wall times)
 *   npm run bench -- --source          # run the TypeScript sources under tsx instead of the build
 *
 * The product's code is built first (`npm run build`) and every task runs the compiled `dist/`, as the
 * `autotask-sync` command does; `--source` skips the build and measures the sources under tsx (CPU
 * figures are then 5–15 % higher: tsx's transform adds work per closure).
 *
 * Every engine step and the naive baseline run in processes of their own, as CLI invocations would,
 * against the emulator in another process; the calls are the emulator's count. The process exits 1
 * when a target is missed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { FULL_SIZES, proportionalSizes } from './lib/bench-data.js';
import { startEmulatorProcess } from './lib/bench-emulator.js';
import { machineInfo } from './lib/machine.js';
import { renderJson, renderMarkdown, renderTable, type BenchReport } from './lib/report.js';
import type { BenchContext, ScenarioResult } from './lib/scenario-types.js';
import { childProcessRunner } from './lib/task-runner.js';
import { planMemoryScenario, planOverheadScenario } from './scenarios/plan-scenarios.js';
import { syncScenarios } from './scenarios/sync-scenarios.js';
import { throughputScenario } from './scenarios/throughput-scenario.js';

const GROUPS = ['sync', 'throughput', 'plan', 'memory'] as const;
type Group = (typeof GROUPS)[number];

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    'keep-data': { type: 'boolean', default: false },
    'skip-baseline': { type: 'boolean', default: false },
    'parallel-baseline': { type: 'boolean', default: false },
    source: { type: 'boolean', default: false },
  },
});

const builtCode = !(args.source ?? false);
if (builtCode) {
  process.stderr.write('Building the product (npm run build) so the tasks run what the CLI runs...\n');
  const build = spawnSync('npm', ['run', '--silent', 'build'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('npm run build failed; fix it, or run the benchmark with --source');
}

const quick = args.quick ?? false;
/** Sizes of each variant. */
const SIZES = quick
  ? { sync: proportionalSizes(2100), throughput: proportionalSizes(105), plan: 10_000, memory: 100_000 }
  : { sync: FULL_SIZES, throughput: proportionalSizes(350), plan: 100_000, memory: 1_000_000 };

const only = new Set<Group>(
  (args.only?.split(',').map((s) => s.trim()) ?? [...GROUPS]).map((g) => {
    if (!(GROUPS as readonly string[]).includes(g)) {
      throw new Error(`--only: unknown scenario group "${g}"; choose from ${GROUPS.join(', ')}.`);
    }
    return g as Group;
  }),
);

const machine = machineInfo();
const started = performance.now();
const workDir = mkdtempSync(join(tmpdir(), 'autotask-sync-bench-'));
const ctx: BenchContext = {
  runner: childProcessRunner([], { builtCode }),
  startEmulator: startEmulatorProcess,
  workDir,
  log: (message) =>
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`),
};

process.stderr.write(
  `autotask-sync benchmark (${quick ? 'quick' : 'full'}) on ${machine.cpuModel}, ${machine.cores} cores, ` +
    `load ${machine.loadAverageAtStart.join(' ')}; data in ${workDir}\n`,
);

const partial = quick || args.only !== undefined || (args['skip-baseline'] ?? false);
const outDir = args.out ?? (partial ? undefined : fileURLToPath(new URL('.', import.meta.url)));
const parallelBaseline = args['parallel-baseline'] ?? false;
const flags = [
  quick ? '--quick' : '',
  parallelBaseline ? '--parallel-baseline' : '',
  builtCode ? '' : '--source',
].filter((f) => f !== '');
const reproduce = `npm run bench${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}`;
const results: ScenarioResult[] = [];

function report(complete: boolean): BenchReport {
  const [one, five, fifteen] = loadavg();
  const r2 = (n: number | undefined): number => Math.round((n ?? 0) * 100) / 100;
  return {
    machine,
    variant: `${quick ? 'quick' : 'full'}${parallelBaseline ? ', baseline run beside the engine' : ''}${builtCode ? ', built code (dist/)' : ', sources under tsx'}${complete ? '' : ', INCOMPLETE'}`,
    suiteSeconds: (performance.now() - started) / 1000,
    loadAverageAtEnd: [r2(one), r2(five), r2(fifteen)],
    scenarios: results,
  };
}

/** Writes the results so far (after each group, so that a stopped suite leaves what it measured). */
function writeResults(complete: boolean): void {
  if (outDir === undefined) return;
  const r = report(complete);
  writeFileSync(join(outDir, 'results.md'), renderMarkdown(r, reproduce));
  writeFileSync(join(outDir, 'results.json'), renderJson(r));
}

try {
  const baseline = { baseline: !(args['skip-baseline'] ?? false) };
  if (only.has('sync')) {
    results.push(...(await syncScenarios(ctx, SIZES.sync, {}, { ...baseline, parallelBaseline })));
    writeResults(false);
  }
  if (only.has('throughput')) {
    results.push(await throughputScenario(ctx, SIZES.throughput, {}, baseline));
    writeResults(false);
  }
  if (only.has('plan')) {
    results.push(await planOverheadScenario(ctx, SIZES.plan));
    writeResults(false);
  }
  if (only.has('memory')) results.push(await planMemoryScenario(ctx, SIZES.memory));
} finally {
  if (!args['keep-data']) rmSync(workDir, { recursive: true, force: true });
}

const final = report(true);
process.stdout.write(`\n${renderTable(results)}\n\n`);
for (const r of results) process.stdout.write(`${r.name}:\n${r.notes.map((n) => `  ${n}`).join('\n')}\n`);
process.stdout.write(`\nsuite: ${final.suiteSeconds.toFixed(0)} s\n`);
if (outDir !== undefined) {
  writeResults(true);
  process.stdout.write(`wrote ${join(outDir, 'results.md')} and results.json\n`);
}
if (results.some((r) => r.pass === false)) process.exitCode = 1;
