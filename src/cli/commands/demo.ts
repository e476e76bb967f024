/**
 * `autotask-sync demo [--reset] [--dir DIR] [--json] [--verbose]`: the README's main-job command. Starts
 * an embedded Autotask emulator whose tenant is kept in `DIR/tenant.sqlite` (default
 * `.autotask-sync/demo/` under the working folder), points the connection at it in-process (the demo
 * credentials are never printed), runs the shipped example (`examples/sync.config.yaml`: companies,
 * contacts and opportunities from CSV files, then an export) with its state in `DIR/state.sqlite`, and
 * says what happened and how to look at it. A second run finds everything in place and creates
 * nothing; `--reset` deletes `DIR` first.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Command } from 'commander';

import type { SyncConfig } from '../../config/types.js';
import { createSource } from '../../connectors/sources/create-source.js';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { systemClock } from '../../shared/clock.js';
import { silentLogger } from '../../shared/logger.js';
import { runSyncs, type EngineDeps, type RunSummary } from '../../sync/engine/index.js';
import { runExports, type ExportRunSummary } from '../../sync/export/index.js';
import { connect, type Connection } from '../connect.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { colourEnabled, createColours, type Colours } from '../render/colour.js';
import { createCommandProgress, engineProgress, exportProgress } from '../render/command-progress.js';
import { reportError } from '../render/error-output.js';
import { formatDuration } from '../render/format.js';
import { writeJson } from '../render/json-output.js';
import { renderTable } from '../render/table.js';
import type { CommandModule } from './index.js';
import { exitCodeOf } from './render-run-summary.js';

/** @default folder (under the working folder) that keeps the demo tenant and its sync state */
export const DEFAULT_DEMO_DIR = '.autotask-sync/demo';

/** The example configuration shipped with the package (`examples/` beside `dist/` and `src/`). */
export const EXAMPLE_CONFIG = fileURLToPath(new URL('../../../examples/sync.config.yaml', import.meta.url));

interface DemoFlags {
  reset?: boolean;
  dir: string;
  config?: string;
  json?: boolean;
  verbose?: boolean;
}

export const demoCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('demo')
      .description(
        'Run the example syncs against an embedded Autotask emulator kept in .autotask-sync/demo/ and show what happened.',
      )
      .option('--reset', 'delete the demo tenant and state first, and start over')
      .option('--dir <folder>', 'where the demo tenant and state are kept', DEFAULT_DEMO_DIR)
      .option('--config <file>', 'configuration to run instead of the shipped example')
      .option('--json', 'print one JSON document')
      .option('--verbose', 'print each Autotask API call (secrets never shown)')
      .action(async (flags: DemoFlags) => setExitCode(await demoAction(ctx, flags)));
  },
};

/** Where the demo keeps things. */
export interface DemoPaths {
  dir: string;
  tenant: string;
  state: string;
  exports: string;
}

export function demoPaths(cwd: string, dir: string): DemoPaths {
  const root = resolve(cwd, dir);
  return {
    dir: root,
    tenant: join(root, 'tenant.sqlite'),
    state: join(root, 'state.sqlite'),
    exports: join(root, 'export'),
  };
}

/** The example configuration, relocated: state and file exports under the demo folder. */
export function relocateForDemo(config: SyncConfig, paths: DemoPaths): SyncConfig {
  return {
    ...config,
    state: paths.state,
    exports: config.exports.map((e) =>
      e.destination.type === 'postgres'
        ? e
        : {
            ...e,
            destination: { ...e.destination, path: join(paths.exports, basename(e.destination.path)) },
          },
    ),
  };
}

async function demoAction(ctx: CliContext, flags: DemoFlags): Promise<number> {
  const colours = createColours(!flags.json && colourEnabled(ctx.stdout, ctx.env));
  const paths = demoPaths(ctx.cwd, flags.dir);
  let emulator: Emulator | undefined;
  let secrets: string[] = [];
  try {
    if (flags.reset) rmSync(paths.dir, { recursive: true, force: true });
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    emulator = createEmulator({ dataFile: paths.tenant });
    const { userName, secret, integrationCode } = emulator.credentials;
    secrets = [secret, integrationCode];
    const env: Record<string, string | undefined> = {
      ...ctx.env,
      AUTOTASK_USERNAME: userName,
      AUTOTASK_SECRET: secret,
      AUTOTASK_INTEGRATION_CODE: integrationCode,
      AUTOTASK_URL: emulator.baseUrl,
      AUTOTASK_TOKEN: '',
    };
    const clock = systemClock;
    const bound: { connection?: Connection } = {};
    const display = createCommandProgress(ctx, {
      json: flags.json,
      secrets,
      clock,
      budget: () => bound.connection?.client.budget(),
    });
    const served = emulator;
    const connection = connect(ctx, {
      config: flags.config === undefined ? EXAMPLE_CONFIG : resolve(ctx.cwd, flags.config),
      env,
      verbose: flags.verbose,
      log: (line) => display.log(line),
      onCall: (event) => display.call(event),
      adjustConfig: (config) => relocateForDemo(config, paths),
      client: {
        fetch: (input, init) => served.fetch(input, init),
        allowInsecureHttp: true,
        budget: { share: 0.5, onWait: (info) => display.budgetWait(info) },
      },
    });
    bound.connection = connection;
    const config = connection.config;
    const state = connection.state;
    if (config === undefined || state === undefined) throw new Error('demo: configuration not loaded');
    secrets = connection.secrets;
    try {
      if (!flags.json)
        ctx.stderr.write(
          `Demo tenant: ${show(paths.tenant, ctx.cwd)} (Autotask REST API emulator, in-process)\n` +
            `Running ${show(config.file, ctx.cwd)}: ${config.syncs.map((s) => s.name).join(', ')}` +
            (config.exports.length > 0
              ? ` then export ${config.exports.map((e) => e.name).join(', ')}`
              : '') +
            '\n',
        );
      const deps: EngineDeps = {
        client: connection.client,
        state,
        openSource: (sync) =>
          createSource(sync.source, {
            signal: ctx.signal,
            onWarning: (w) => display.log(`warning: ${sync.name}: ${w.message}`),
          }),
        clock,
        logger: silentLogger,
        onProgress: engineProgress(display),
      };
      let summary: RunSummary;
      let exported: ExportRunSummary | undefined;
      try {
        summary = await runSyncs(deps, config, { signal: ctx.signal });
        if (config.exports.length > 0 && summary.status !== 'failed' && !ctx.signal.aborted)
          exported = await runExports(config.exports, {
            client: connection.client,
            store: state,
            signal: ctx.signal,
            onProgress: exportProgress(display),
          });
      } finally {
        display.stop();
      }
      const totalCalls = connection.client.stats().totalCalls;
      const code = Math.max(
        exitCodeOf(summary),
        exported !== undefined && exported.status !== 'succeeded' ? ExitCode.RecordsFailed : 0,
      );
      if (flags.json) writeJson(ctx.stdout, demoJson(summary, exported, totalCalls, paths, code), secrets);
      else
        ctx.stdout.write(
          renderDemo(summary, exported, totalCalls, paths, ctx.cwd, colours, commandName(ctx.env)),
        );
      return code;
    } finally {
      connection.close();
    }
  } catch (error) {
    return reportError(ctx, error, { json: flags.json, secrets, colours });
  } finally {
    await emulator?.close();
  }
}

function demoJson(
  summary: RunSummary,
  exported: ExportRunSummary | undefined,
  totalCalls: number,
  paths: DemoPaths,
  exitCode: number,
): Record<string, unknown> {
  return {
    ok: exitCode === ExitCode.Success,
    exitCode,
    runId: summary.runId,
    status: summary.status,
    counts: summary.counts,
    syncs: summary.syncs.map((s) => ({ name: s.name, object: s.object, ...s.counts, apiCalls: s.apiCalls })),
    exports:
      exported?.exports.map((e) => ({
        name: e.name,
        object: e.object,
        mode: e.mode,
        read: e.read,
        written: e.written,
        apiCalls: e.apiCalls,
        destination: e.destination,
      })) ?? [],
    exportFailures: exported?.failures ?? [],
    apiCalls: totalCalls,
    ...(summary.error === undefined ? {} : { error: summary.error }),
    paths,
  };
}

/**
 * How to call the CLI in the hints: `npm run demo` in a clone has no `autotask-sync` on the PATH (npm
 * puts only dependencies' commands there), so the hints say `npx autotask-sync`, which works there.
 */
export function commandName(env: Readonly<Record<string, string | undefined>>): string {
  return env['npm_lifecycle_event'] === undefined ? 'autotask-sync' : 'npx autotask-sync';
}

/** A path relative to the working folder when it is inside it. */
function show(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function renderDemo(
  summary: RunSummary,
  exported: ExportRunSummary | undefined,
  totalCalls: number,
  paths: DemoPaths,
  cwd: string,
  colours: Colours,
  cli: string,
): string {
  const out: string[] = [];
  const actions = ['created', 'updated', 'unchanged', 'conflict', 'invalid', 'failed', 'skipped'] as const;
  const rows = summary.syncs.map((s) => [
    s.name,
    s.object,
    ...actions.map((a) => String(s.counts[a])),
    String(s.apiCalls),
  ]);
  out.push(
    '',
    `${colours.bold(`Run ${summary.runId}`)} ${summary.status} in ${formatDuration(summary.finishedAt - summary.startedAt)}:`,
    renderTable(['sync', 'object', ...actions, 'calls'], rows, { rightAlign: [2, 3, 4, 5, 6, 7, 8, 9] }),
  );
  if (summary.error !== undefined)
    out.push(colours.red(`Stopped: [${summary.error.code}] ${summary.error.message}`));
  for (const e of exported?.exports ?? [])
    out.push(`Export ${e.name}: ${e.written} ${e.object} rows (${e.mode}) → ${show(e.destination, cwd)}`);
  for (const f of exported?.failures ?? [])
    out.push(colours.red(`Export ${f.name} failed: [${f.code}] ${f.message}`));
  out.push('', `Autotask API calls used: ${totalCalls} (of 10,000 per hour for the whole tenant)`);
  const c = summary.counts;
  if (c.created > 0 && c.updated > 0)
    out.push(
      `${c.updated} row${c.updated === 1 ? '' : 's'} matched a record already in the tenant: updated, not duplicated.`,
    );
  if (c.created === 0 && c.updated === 0 && summary.status === 'succeeded')
    out.push(colours.green('Everything was already in step: nothing was created or changed.'));
  const statePath = show(paths.state, cwd);
  const exportFile = exported?.exports[0]?.destination;
  const look: [string, string][] = [
    [`${cli} history --state ${statePath}`, 'runs, counts and calls used'],
    [`${cli} show last --state ${statePath}`, 'what happened to each record'],
    [`${cli} rejects last --state ${statePath}`, 'rows that were refused, and why'],
    ...(exportFile === undefined
      ? []
      : [[show(exportFile, cwd), 'the exported companies'] as [string, string]]),
    [`${cli} emulator --data ${show(paths.tenant, cwd)}`, 'browse the demo tenant over HTTP'],
  ];
  out.push(
    '',
    colours.bold('Look at it:'),
    renderTable(['', ''], look, { indent: '  ', maxCellWidth: 200 }).split('\n').slice(1).join('\n'),
  );
  out.push('', 'Run the demo again: it creates nothing the second time. Start over with --reset.');
  return `${out.join('\n')}\n`;
}
