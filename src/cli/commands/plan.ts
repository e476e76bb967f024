/**
 * `autotask-sync plan [--config FILE] [--only NAME...] [--json]`: the same code as `run` with nothing
 * written to Autotask. Prints what each record would become (with field-level changes), the calls
 * the run would cost against the budget left this hour, and an estimated duration. Two-way syncs
 * (`twoWay:`) are planned after the one-way ones, writing nothing to Autotask or their tables
 * (`--json`: their report is a second line, `{"twoWay": ...}`, as `run --json` prints it).
 */
import type { Command } from 'commander';

import { planSyncs } from '../../sync/engine/index.js';
import { planTwoWaySyncs } from '../../sync/two-way/index.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { sessionProgress } from '../render/session-progress.js';
import { renderTwoWayPlan, renderTwoWayPlanJson } from '../render/two-way-plan.js';
import type { CommandModule } from './index.js';
import { exitCodeOf, renderJson, renderTable } from './render-run-summary.js';
import { reportAutotaskError } from './run.js';
import { withSyncSession, type SyncCommandFlags } from './sync-session.js';

export const planCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('plan')
      .description(
        'Show what `run` would do (creates, updates with field changes, conflicts, invalid rows) and its cost, writing nothing.',
      )
      .option('--config <file>', 'configuration file (YAML) (default sync.config.yaml)')
      .option('--only <names...>', 'only these syncs (still in dependency order)')
      .option('--json', 'print a JSON report instead of a table')
      .option('--verbose', 'print each Autotask API call (secrets never shown)')
      .action(async (flags: PlanFlags) => setExitCode(await planAction(ctx, flags)));
  },
};

interface PlanFlags extends SyncCommandFlags {
  verbose?: boolean;
}

async function planAction(ctx: CliContext, flags: PlanFlags): Promise<number> {
  try {
    const progress = sessionProgress(ctx, flags);
    return await withSyncSession(
      ctx,
      flags,
      async ({ deps, config, secrets, engineOptions }) => {
        progress.bind({ secrets, client: deps.client, usage: deps.state.apiUsage });
        // --only may name syncs of either kind, as for `run`
        const twoWayNames = new Set(config.twoWay.map((s) => s.name));
        const oneWayOnly = flags.only?.filter((n) => !twoWayNames.has(n));
        const twoWayOnly = flags.only?.filter((n) => twoWayNames.has(n));
        let exitCode: number = ExitCode.Success;
        if ((config.syncs.length > 0 || config.twoWay.length === 0) && oneWayOnly?.length !== 0) {
          const report = await planSyncs(deps, config, {
            ...engineOptions,
            ...(oneWayOnly === undefined ? {} : { only: oneWayOnly }),
            signal: ctx.signal,
          }).finally(() => progress.stop());
          ctx.stdout.write(flags.json ? renderJson(report, secrets) : renderTable(report, secrets));
          exitCode = exitCodeOf(report);
        }
        if (config.twoWay.length > 0 && twoWayOnly?.length !== 0) {
          const report = await planTwoWaySyncs(deps, config.twoWay, {
            ...engineOptions,
            ...(twoWayOnly === undefined ? {} : { only: twoWayOnly }),
            signal: ctx.signal,
          }).finally(() => progress.stop());
          ctx.stdout.write(
            flags.json ? renderTwoWayPlanJson(report, secrets) : renderTwoWayPlan(report, secrets),
          );
          exitCode = Math.max(exitCode, exitCodeOf(report));
        }
        return exitCode;
      },
      progress.hooks,
    );
  } catch (error) {
    return reportAutotaskError(ctx, error, flags.json);
  }
}
