/**
 * `autotask-sync show <run|last> [--action A,B] [--key K] [--sync NAME] [--limit N] [--offset N] [--json]`:
 * one run's per-record outcomes from the ledger — where each row came from, its dedupe key, what
 * happened (created, updated with the changed fields, unchanged, conflict, invalid, failed, skipped),
 * the Autotask id and the reason.
 */
import { InvalidArgumentError, type Command } from 'commander';

import type { SyncConfig } from '../../config/types.js';
import {
  LEDGER_ACTIONS,
  type LedgerAction,
  type LedgerEntry,
  type RunRecord,
} from '../../state/state-store.js';
import { normaliseEmail, normaliseName } from '../../sync/keys/normalise.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { openExistingStateWithConfig, resolveRunId, type StateFlags } from '../open-state.js';
import { colourEnabled, createColours, type Colours } from '../render/colour.js';
import { reportError } from '../render/error-output.js';
import { keyFromSourceRow } from '../render/source-row-key.js';
import { formatDuration, formatTimestamp } from '../render/format.js';
import { writeJson } from '../render/json-output.js';
import { renderTable } from '../render/table.js';
import { twoWayChangesText } from '../render/two-way-plan.js';
import type { CommandModule } from './index.js';
import { formatCounters, positiveInt, runJson, statusColour } from './history.js';

interface ShowFlags extends StateFlags {
  action?: LedgerAction[];
  key?: string;
  sync?: string;
  limit: number;
  offset: number;
  json?: boolean;
}

/**
 * The ledger stores normalised dedupe keys (`acme dental group`, `ada@example.com`): `--key` finds a
 * record by its key as shown, or by the name or email as written in the source.
 */
export function keyCandidates(key: string): string[] {
  return [...new Set([key, normaliseEmail(key), normaliseName(key)])].filter((k) => k !== '');
}

/** @default records shown per page */
export const DEFAULT_SHOW_LIMIT = 100;

/** `--action invalid,failed` (repeatable), checked against the ledger's actions. */
export function parseActions(value: string, previous: LedgerAction[] = []): LedgerAction[] {
  const out = [...previous];
  for (const part of value.split(',').map((s) => s.trim().toLowerCase())) {
    if (part === '') continue;
    if (!(LEDGER_ACTIONS as readonly string[]).includes(part))
      throw new InvalidArgumentError(`"${part}" is not an action: use ${LEDGER_ACTIONS.join(', ')}.`);
    out.push(part as LedgerAction);
  }
  return out;
}

function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number, got "${value}".`);
  return Number(value);
}

export const showCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('show')
      .description('Show the per-record outcomes of a run (filter by action, key or sync).')
      .argument('<run>', 'run id from `history`, or last')
      .option('--config <file>', 'configuration whose state to read (default sync.config.yaml)')
      .option('--state <file>', 'state database to read instead of the configuration’s')
      .option(
        '--action <actions>',
        `only these outcomes (${LEDGER_ACTIONS.join(', ')}), comma-separated`,
        parseActions,
      )
      .option('--key <key>', 'only the record with this dedupe key (as shown, or the name/email as written)')
      .option('--sync <name>', 'only this sync')
      .option('--limit <n>', 'records per page', positiveInt, DEFAULT_SHOW_LIMIT)
      .option('--offset <n>', 'records to skip', nonNegativeInt, 0)
      .option('--json', 'print one JSON document')
      .action((run: string, flags: ShowFlags) => setExitCode(showAction(ctx, run, flags)));
  },
};

function showAction(ctx: CliContext, runArg: string, flags: ShowFlags): number {
  const colours = createColours(!flags.json && colourEnabled(ctx.stdout, ctx.env));
  try {
    const { state, config } = openExistingStateWithConfig(ctx, flags);
    const keyOf = entryKey(config);
    try {
      const runId = resolveRunId(state, runArg, 'run');
      const run = state.getRun(runId);
      if (run === undefined) throw new Error(`run ${runId} vanished`);
      const base = {
        runId,
        ...(flags.sync === undefined ? {} : { sync: flags.sync }),
        ...(flags.action === undefined || flags.action.length === 0 ? {} : { action: flags.action }),
      };
      // The key as typed ("Acme Dental Group", "Ada@Example.com"), else as the ledger stores it.
      let filter: typeof base & { key?: string } = base;
      let total = 0;
      for (const key of flags.key === undefined ? [undefined] : keyCandidates(flags.key)) {
        filter = key === undefined ? base : { ...base, key };
        total = 0;
        for (const _ of state.iterateLedger(filter)) total += 1;
        if (total > 0) break;
      }
      const entries = state.queryLedger({ ...filter, limit: flags.limit, offset: flags.offset });
      if (flags.json)
        writeJson(
          ctx.stdout,
          {
            run: runJson(run),
            total,
            offset: flags.offset,
            entries: entries.map((e) => entryJson(e, keyOf(e))),
          },
          [],
        );
      else {
        const head = [
          `Run ${run.id} (${run.mode}) ${statusColour(run.status, colours)} · started ${formatTimestamp(run.startedAt)} UTC` +
            (run.finishedAt === null ? '' : ` · took ${formatDuration(run.finishedAt - run.startedAt)}`) +
            (run.status === 'interrupted' && run.apiCalls === 0
              ? ' · Autotask calls not recorded'
              : ` · ${run.apiCalls} Autotask calls`),
          `Syncs: ${run.syncNames.join(', ')} · ${formatCounters(run.counters)}`,
          ...(run.status === 'interrupted' ? [interruptedNote(run)] : []),
          '',
        ];
        ctx.stdout.write(head.join('\n') + '\n' + renderEntries(entries, total, flags, colours, keyOf));
      }
      return ExitCode.Success;
    } finally {
      state.close();
    }
  } catch (error) {
    return reportError(ctx, error, { json: flags.json, secrets: [], colours });
  }
}

/** Why an interrupted run has no ending of its own, and what happens to its records. */
export function interruptedNote(run: RunRecord): string {
  const who =
    run.owner === null ? 'its process' : `its process (pid ${run.owner.pid} on host ${run.owner.host})`;
  return (
    `Interrupted: ${who} stopped without finishing it` +
    (run.finishedAt === null ? '' : `, last record at ${formatTimestamp(run.finishedAt)} UTC`) +
    '. The records below were committed; the next run settles its creates in flight by key, so nothing is created twice.'
  );
}

/**
 * The key shown for an entry: the ledger's, else (an invalid row the engine did not key) the one its
 * sync's mapping gives the source row, when the configuration is known and the key can be computed.
 */
function entryKey(config: SyncConfig | undefined): (e: LedgerEntry) => string | null {
  const syncs = new Map((config?.syncs ?? []).map((s) => [s.name, s]));
  return (e) => {
    if (e.key !== null) return e.key;
    const sync = syncs.get(e.sync);
    return sync === undefined ? null : (keyFromSourceRow(sync, e.sourceRow) ?? null);
  };
}

/**
 * A ledger entry as `--json` prints it (the source row is left to `rejects`). `key` is the ledger's
 * key, or `computedKey` names the key computed from the source row when the ledger has none.
 */
export function entryJson(e: LedgerEntry, key: string | null = e.key): Record<string, unknown> {
  return {
    sync: e.sync,
    location: e.sourceLocation,
    key: e.key,
    ...(e.key === null && key !== null ? { computedKey: key } : {}),
    action: e.action,
    autotaskId: e.autotaskId,
    field: e.field,
    reason: e.reason,
    diff: e.diff,
    at: new Date(e.at).toISOString(),
  };
}

export function actionColour(action: string, colours: Colours): string {
  if (action === 'created' || action === 'updated') return colours.green(action);
  if (action === 'invalid' || action === 'failed' || action === 'conflict') return colours.red(action);
  if (action === 'skipped') return colours.yellow(action);
  return colours.dim(action);
}

function renderEntries(
  entries: readonly LedgerEntry[],
  total: number,
  flags: ShowFlags,
  colours: Colours,
  keyOf: (e: LedgerEntry) => string | null,
): string {
  if (total === 0) return 'No records match.\n';
  const rows = entries.map((e) => [
    e.sync,
    shortLocation(e.sourceLocation),
    keyOf(e) ?? '',
    actionColour(e.action, colours),
    e.autotaskId !== null && e.autotaskId > 0 ? String(e.autotaskId) : '',
    detail(e),
  ]);
  const out = renderTable(['sync', 'source', 'key', 'action', 'autotask id', 'detail'], rows, {
    rightAlign: [4],
    maxCellWidth: 70,
  });
  const shownTo = flags.offset + entries.length;
  const more =
    shownTo < total
      ? `\nShowing ${flags.offset + 1}–${shownTo} of ${total}: --offset ${shownTo} for more.`
      : `\n${total} record${total === 1 ? '' : 's'}.`;
  return `${out}\n${more}\n`;
}

function shortLocation(location: string | null): string {
  if (location === null) return '';
  const slash = location.lastIndexOf('/');
  return slash >= 0 ? location.slice(slash + 1) : location;
}

function detail(e: LedgerEntry): string {
  // a two-way entry's fields say which side was written (its reason would only repeat it)
  const twoWay = twoWayChangesText(e.diff);
  if (twoWay !== undefined) return twoWay;
  if (e.reason !== null) return `${e.field ? `${e.field}: ` : ''}${e.reason}`;
  if (e.diff !== null && e.action === 'updated')
    return Object.entries(e.diff)
      .map(([field, change]) => {
        const c = change as { from?: unknown; to?: unknown } | null;
        return `${field}: ${short(c?.from)} → ${short(c?.to)}`;
      })
      .join(', ');
  return '';
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return text.length > 30 ? `${text.slice(0, 29)}…` : text;
}
