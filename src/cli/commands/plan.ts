/**
 * `autotask-sync plan --config FILE [--only NAME...] [--json]`: the same code as `run` with nothing
 * written to Autotask. Prints what each record would become (with field-level changes), the calls
 * the run would cost against the budget left this hour, and an estimated duration.
 */
import type { Command } from 'commander';

import { planSyncs } from '../../sync/engine/index.js';
import type { CliContext } from '../context.js';
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
      .action(async (flags: SyncCommandFlags) => setExitCode(await planAction(ctx, flags)));
  },
};

async function planAction(ctx: CliContext, flags: SyncCommandFlags): Promise<number> {
  try {
    return await withSyncSession(ctx, flags, async ({ deps, config, secrets }) => {
      const report = await planSyncs(deps, config, {
        ...(flags.only === undefined ? {} : { only: flags.only }),
        signal: ctx.signal,
      });
      ctx.stdout.write(flags.json ? renderJson(report, secrets) : renderTable(report, secrets));
      return exitCodeOf(report);
    });
  } catch (error) {
    return reportAutotaskError(ctx, error);
  }
}
