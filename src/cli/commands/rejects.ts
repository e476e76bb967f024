/**
 * `autotask-sync rejects <run|last> [--csv FILE] [--sync NAME] [--json]`: the rows of a run that were
 * invalid, failed or conflicted, with the reason and where they came from. `--csv` writes them as a
 * spreadsheet-safe CSV (original columns + `_sync`, `_action`, `_reason`, `_field`, `_line`), ready to
 * fix and feed back as a source.
 */
import { resolve } from 'node:path';

import type { Command } from 'commander';

import { writeRejectsCsv } from '../../state/rejects-csv.js';
import type { LedgerAction } from '../../state/state-store.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { openExistingState, resolveRunId, type StateFlags } from '../open-state.js';
import { colourEnabled, createColours } from '../render/colour.js';
import { reportError } from '../render/error-output.js';
import { writeJson } from '../render/json-output.js';
import { renderTable } from '../render/table.js';
import type { CommandModule } from './index.js';
import { actionColour } from './show.js';

interface RejectsFlags extends StateFlags {
  csv?: string;
  sync?: string;
  json?: boolean;
}

/** The outcomes that count as rejects. */
export const REJECT_ACTIONS: readonly LedgerAction[] = ['invalid', 'failed', 'conflict'];

export const rejectsCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('rejects')
      .description(
        'List the rows of a run that were invalid, failed or conflicted; --csv writes them to a file.',
      )
      .argument('<run>', 'run id from `history`, or last')
      .option('--config <file>', 'configuration whose state to read (default sync.config.yaml)')
      .option('--state <file>', 'state database to read instead of the configuration’s')
      .option('--csv <file>', 'write the rejected rows (original columns + reason) to this CSV file')
      .option('--sync <name>', 'only this sync')
      .option('--json', 'print one JSON document')
      .action(async (run: string, flags: RejectsFlags) => setExitCode(await rejectsAction(ctx, run, flags)));
  },
};

async function rejectsAction(ctx: CliContext, runArg: string, flags: RejectsFlags): Promise<number> {
  const colours = createColours(!flags.json && colourEnabled(ctx.stdout, ctx.env));
  try {
    const state = openExistingState(ctx, flags);
    try {
      const runId = resolveRunId(state, runArg, 'run');
      const query = {
        runId,
        action: REJECT_ACTIONS,
        ...(flags.sync === undefined ? {} : { sync: flags.sync }),
      };
      if (flags.csv !== undefined) {
        const file = resolve(ctx.cwd, flags.csv);
        const { rows } = await writeRejectsCsv(state, runId, file, {
          actions: REJECT_ACTIONS,
          ...(flags.sync === undefined ? {} : { sync: flags.sync }),
        });
        const syncs = new Set<string>();
        for (const entry of state.iterateLedger(query)) syncs.add(entry.sync);
        if (flags.json) writeJson(ctx.stdout, { runId, rows, file, syncs: [...syncs] }, []);
        else {
          ctx.stdout.write(
            `${rows} rejected row${rows === 1 ? '' : 's'} of run ${runId} written to ${file}\n`,
          );
          // Each source has its own columns: a file of several syncs cannot be fed back as one source.
          if (syncs.size > 1)
            ctx.stdout.write(
              `It holds the rows of ${syncs.size} syncs (${[...syncs].join(', ')}) with all their columns; ` +
                `to fix and feed them back, write one file per sync: --sync ${[...syncs][0]} --csv …\n`,
            );
        }
        return ExitCode.Success;
      }
      const entries = state.queryLedger(query);
      if (flags.json)
        writeJson(
          ctx.stdout,
          {
            runId,
            rows: entries.length,
            rejects: entries.map((e) => ({
              sync: e.sync,
              location: e.sourceLocation,
              key: e.key,
              action: e.action,
              field: e.field,
              reason: e.reason,
              row: e.sourceRow,
            })),
          },
          [],
        );
      else if (entries.length === 0) ctx.stdout.write(`Run ${runId} has no rejected rows.\n`);
      else
        ctx.stdout.write(
          `${renderTable(
            ['sync', 'source', 'action', 'field', 'reason'],
            entries.map((e) => [
              e.sync,
              e.sourceLocation ?? '',
              actionColour(e.action, colours),
              e.field ?? '',
              e.reason ?? '',
            ]),
            { maxCellWidth: 100 },
          )}\n\n${entries.length} rejected row${entries.length === 1 ? '' : 's'}; write them to a CSV with --csv FILE.\n`,
        );
      return ExitCode.Success;
    } finally {
      state.close();
    }
  } catch (error) {
    return reportError(ctx, error, { json: flags.json, secrets: [], colours });
  }
}
