/**
 * `autotask-sync history [--config FILE | --state FILE] [--limit N] [--mode run|plan|export] [--sync NAME]
 * [--json]`: the runs kept in the state store, most recent first, with their counts and the Autotask
 * calls each used.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';

import { intakeCounts, intakeSummaryLine } from '../../intake/queue/intake-summary.js';
import { systemClock } from '../../shared/clock.js';
import type { RunRecord } from '../../state/state-store.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { openExistingState, type StateFlags } from '../open-state.js';
import { colourEnabled, createColours, type Colours } from '../render/colour.js';
import { reportError } from '../render/error-output.js';
import { formatDuration, formatTimestamp } from '../render/format.js';
import { writeJson } from '../render/json-output.js';
import { renderTable } from '../render/table.js';
import type { CommandModule } from './index.js';

interface HistoryFlags extends StateFlags {
  limit: number;
  mode?: 'run' | 'plan' | 'export';
  sync?: string;
  json?: boolean;
}

/** @default number of runs listed */
export const DEFAULT_HISTORY_LIMIT = 20;

export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}".`);
  return Number(value);
}

export const historyCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('history')
      .description('List past runs (most recent first) with their counts and the Autotask calls used.')
      .option('--config <file>', 'configuration whose state to read (default sync.config.yaml)')
      .option('--state <file>', 'state database to read instead of the configuration’s')
      .option('--limit <n>', 'how many runs', positiveInt, DEFAULT_HISTORY_LIMIT)
      .addOption(new Option('--mode <mode>', 'only runs of this kind').choices(['run', 'plan', 'export']))
      .option('--sync <name>', 'only runs that covered this sync or export')
      .option('--json', 'print one JSON document')
      .action((flags: HistoryFlags) => setExitCode(historyAction(ctx, flags)));
  },
};

function historyAction(ctx: CliContext, flags: HistoryFlags): number {
  const colours = createColours(!flags.json && colourEnabled(ctx.stdout, ctx.env));
  try {
    const state = openExistingState(ctx, flags);
    try {
      const runs = state.listRuns({
        limit: flags.limit,
        ...(flags.mode === undefined ? {} : { mode: flags.mode }),
        ...(flags.sync === undefined ? {} : { sync: flags.sync }),
      });
      const counted = state.path === ':memory:' ? undefined : intakeCounts(state.path, systemClock);
      // Only configurations that `serve` intakes have a queue worth showing.
      const intake = counted !== undefined && Object.values(counted).some((n) => n > 0) ? counted : undefined;
      if (flags.json) writeJson(ctx.stdout, { runs: runs.map(runJson), ...(intake ? { intake } : {}) }, []);
      else {
        ctx.stdout.write(renderHistory(runs, colours));
        const line = intake === undefined ? undefined : intakeSummaryLine(intake);
        if (line !== undefined) ctx.stdout.write(`${line}\n`);
      }
      return ExitCode.Success;
    } finally {
      state.close();
    }
  } catch (error) {
    return reportError(ctx, error, { json: flags.json, secrets: [], colours });
  }
}

/** A run as `--json` prints it. */
export function runJson(run: RunRecord): Record<string, unknown> {
  return {
    id: run.id,
    mode: run.mode,
    status: run.status,
    syncs: run.syncNames,
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: run.finishedAt === null ? null : new Date(run.finishedAt).toISOString(),
    durationMs: run.finishedAt === null ? null : run.finishedAt - run.startedAt,
    counts: run.counters,
    apiCalls: run.apiCalls,
    owner: run.owner,
  };
}

export function statusColour(status: string, colours: Colours): string {
  if (status === 'succeeded') return colours.green(status);
  if (status === 'failed' || status === 'aborted' || status === 'interrupted') return colours.red(status);
  if (status === 'partial' || status === 'running') return colours.yellow(status);
  return status;
}

/** `12 created, 3 updated, 1 failed` from a run's counters (zeros left out). */
export function formatCounters(counters: Record<string, number>): string {
  const parts = Object.entries(counters)
    .filter(([, n]) => n !== 0)
    .map(([k, n]) => `${n} ${k}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}

function renderHistory(runs: readonly RunRecord[], colours: Colours): string {
  if (runs.length === 0) return 'No runs yet.\n';
  const rows = runs.map((r) => [
    String(r.id),
    r.mode,
    statusColour(r.status, colours),
    formatTimestamp(r.startedAt),
    r.finishedAt === null ? '' : formatDuration(r.finishedAt - r.startedAt),
    String(r.apiCalls),
    r.syncNames.join(','),
    formatCounters(r.counters),
  ]);
  return `${renderTable(
    ['run', 'mode', 'status', 'started (UTC)', 'took', 'calls', 'syncs', 'records'],
    rows,
    {
      rightAlign: [0, 5],
      maxCellWidth: 80,
    },
  )}\n\nDetails of a run: autotask-sync show <run>; its rejected rows: autotask-sync rejects <run>\n`;
}
