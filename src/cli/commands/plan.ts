/**
 * `autotask-sync plan --config FILE [--only NAME...] [--json]`: the same code as `run` with nothing
 * written to Autotask. Prints what each record would become (with field-level changes), the calls
 * the run would cost against the budget left this hour, and an estimated duration.
 */
import type { Command } from 'commander';

import { planSyncs } from '../../sync/engine/index.js';
import type { CliContext } from '../context.js';
import { sessionProgress } from '../render/session-progress.js';
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
      .requiredOption('--config <file>', 'configuration file (YAML)')
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
        const report = await planSyncs(deps, config, {
          ...engineOptions,
          ...(flags.only === undefined ? {} : { only: flags.only }),
          signal: ctx.signal,
        }).finally(() => progress.stop());
        ctx.stdout.write(flags.json ? renderJson(report, secrets) : renderTable(report, secrets));
        return exitCodeOf(report);
      },
      progress.hooks,
    );
  } catch (error) {
    return reportAutotaskError(ctx, error);
  }
}
