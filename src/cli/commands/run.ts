/**
 * `autotask-sync run [--config FILE] [--only NAME...] [--json] [--rejects FILE] [--verbose] [--watch [--interval 5m]]`: runs the syncs of a
 * configuration in dependency order and prints counts per action and the Autotask calls used.
 * Exit codes: 0 all good, 1 some records failed / were invalid / conflicted, 2 configuration,
 * 3 connection or credentials, 4 budget exhausted, 75 another process syncs this state (run lock).
 */
import { resolve } from 'node:path';

import type { Command } from 'commander';

import { AutotaskError } from '../../autotask/errors.js';
import { redactText } from '../../shared/redact.js';
import { RunLockedError } from '../../state/run-lock.js';
import { writeRejectsCsvFiles } from '../../state/rejects-csv.js';
import { runSyncs } from '../../sync/engine/index.js';
import { renderTwoWaySummary, runTwoWaySyncs, twoWayExitCode } from '../../sync/two-way/index.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { reportError } from '../render/error-output.js';
import { describeRejectsFiles } from '../render/rejects-files.js';
import { sessionProgress } from '../render/session-progress.js';
import { addWatchOptions, watchRuns, type WatchFlags } from '../run-watch.js';
import type { CommandModule } from './index.js';
import { exitCodeOf, renderJson, renderTable } from './render-run-summary.js';
import { withSyncSession, type SyncCommandFlags } from './sync-session.js';

interface RunFlags extends SyncCommandFlags, WatchFlags {
  rejects?: string;
  verbose?: boolean;
}

export const runCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    const command = program
      .command('run')
      .description('Run the syncs of a configuration: create and update Autotask records from the sources.')
      .option('--config <file>', 'configuration file (YAML) (default sync.config.yaml)')
      .option('--only <names...>', 'only these syncs (still in dependency order)')
      .option('--json', 'print a JSON summary instead of a table')
      .option('--rejects <file>', 'write the rows that were invalid, failed or conflicted to this CSV file')
      .option('--verbose', 'print each Autotask API call (secrets never shown)');
    addWatchOptions(command).action(async (flags: RunFlags) =>
      setExitCode(
        flags.watch
          ? await watchRuns(ctx, flags, async () => ({ exitCode: await runAction(ctx, flags) }))
          : await runAction(ctx, flags),
      ),
    );
  },
};

async function runAction(ctx: CliContext, flags: RunFlags): Promise<number> {
  try {
    const progress = sessionProgress(ctx, flags);
    return await withSyncSession(
      ctx,
      flags,
      async ({ signal, deps, config, secrets, engineOptions }) => {
        progress.bind({ secrets, client: deps.client, usage: deps.state.apiUsage });
        // two-way syncs (twoWay:) run after the one-way syncs; --only may name either kind
        const twoWayNames = new Set(config.twoWay.map((s) => s.name));
        const oneWayOnly = flags.only?.filter((n) => !twoWayNames.has(n));
        const twoWayOnly = flags.only?.filter((n) => twoWayNames.has(n));
        let exitCode: number = ExitCode.Success;
        if ((config.syncs.length > 0 || config.twoWay.length === 0) && oneWayOnly?.length !== 0) {
          const summary = await runSyncs(deps, config, {
            ...engineOptions,
            ...(oneWayOnly === undefined ? {} : { only: oneWayOnly }),
            signal,
          }).finally(() => progress.stop());
          ctx.stdout.write(flags.json ? renderJson(summary, secrets) : renderTable(summary, secrets));
          if (flags.rejects !== undefined) {
            const written = await writeRejectsCsvFiles(
              deps.state,
              summary.runId,
              resolve(ctx.cwd, flags.rejects),
            );
            if (!flags.json) ctx.stderr.write(describeRejectsFiles({ cwd: ctx.cwd }, written));
          }
          exitCode = exitCodeOf(summary);
        }
        if (config.twoWay.length > 0 && twoWayOnly?.length !== 0) {
          const twoWay = await runTwoWaySyncs(deps, config.twoWay, {
            ...engineOptions,
            ...(twoWayOnly === undefined ? {} : { only: twoWayOnly }),
            signal,
          }).finally(() => progress.stop());
          const text = flags.json ? `${JSON.stringify({ twoWay })}\n` : renderTwoWaySummary(twoWay);
          ctx.stdout.write(redactText(text, secrets));
          exitCode = Math.max(exitCode, twoWayExitCode(twoWay));
        }
        return exitCode;
      },
      progress.hooks,
      { lock: flags.watch ? 'run --watch' : 'run' },
    );
  } catch (error) {
    // Another process is syncing this state: a --watch pass tries again at the next interval.
    if (error instanceof RunLockedError) return reportError(ctx, error, { json: flags.json, secrets: [] });
    return reportAutotaskError(ctx, error, flags.json);
  }
}

/**
 * Connection-level failures before the run started (e.g. credentials refused while reading metadata):
 * printed like every command's errors, and as the JSON document with `json`. Other errors are rethrown.
 */
export function reportAutotaskError(ctx: CliContext, error: unknown, json?: boolean): number {
  if (!(error instanceof AutotaskError)) throw error;
  return reportError(ctx, error, { json, secrets: [] });
}
