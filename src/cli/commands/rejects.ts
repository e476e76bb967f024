/**
 * `autotask-sync rejects <run|last> [--csv FILE] [--sync NAME] [--json]`: the rows of a run that were
 * invalid, failed or conflicted, with the reason and where they came from. `--csv` writes them as a
 * spreadsheet-safe CSV (original columns + `_sync`, `_action`, `_reason`, `_field`, `_line`), ready to
 * fix and feed back as a source: one file per sync when several syncs have rejects
 * (`FILE` with the sync name before the extension), each naming the files it wrote.
 */
import { resolve } from 'node:path';

import type { Command } from 'commander';

import { writeRejectsCsvFiles } from '../../state/rejects-csv.js';
import type { LedgerAction } from '../../state/state-store.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { openExistingState, resolveRunId, type StateFlags } from '../open-state.js';
import { colourEnabled, createColours } from '../render/colour.js';
import { reportError } from '../render/error-output.js';
import { describeRejectsFiles } from '../render/rejects-files.js';
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
        const written = await writeRejectsCsvFiles(state, runId, file, {
          actions: REJECT_ACTIONS,
          ...(flags.sync === undefined ? {} : { sync: flags.sync }),
        });
        if (flags.json)
          writeJson(
            ctx.stdout,
            {
              runId,
              rows: written.rows,
              // `file` when one file was written (one sync, or none); `files` always
              ...(written.files.length === 1 ? { file: written.files[0]?.path } : {}),
              files: written.files.map((f) => ({ sync: f.sync, file: f.path, rows: f.rows })),
              syncs: written.files.flatMap((f) => (f.sync === undefined ? [] : [f.sync])),
            },
            [],
          );
        else ctx.stdout.write(describeRejectsFiles({ cwd: ctx.cwd, runId }, written));
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
