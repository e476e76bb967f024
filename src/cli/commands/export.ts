/**
 * `autotask-sync export [--config FILE] [--only NAME...] [--full] [--prune] [--json] [--verbose]`: copies
 * Autotask records to the destinations of the configuration's `exports:` (CSV, JSON Lines, SQLite,
 * PostgreSQL), each full or incremental, and prints the counts and the Autotask calls used. Progress
 * bars on a terminal (plain lines otherwise, nothing with `--json`); `--verbose` prints each call.
 * Exit codes: 0 all exports done, 1 some failed (or a deletion scan was refused by its safety rail),
 * 2 configuration, 3 connection or credentials, 4 budget exhausted.
 */
import type { Command } from 'commander';

import type { ExportSpec, SyncConfig } from '../../config/types.js';
import { ConfigError } from '../../shared/errors.js';
import { redactText } from '../../shared/redact.js';
import { runExports, type ExportResult, type ExportRunSummary } from '../../sync/export/index.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { sessionProgress } from '../render/session-progress.js';
import type { CommandModule } from './index.js';
import { reportAutotaskError } from './run.js';
import { withSyncSession, type SyncCommandFlags } from './sync-session.js';

interface ExportFlags extends SyncCommandFlags {
  full?: boolean;
  prune?: boolean;
  verbose?: boolean;
}

export const exportCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('export')
      .description('Export Autotask records to the destinations of the configuration (`exports:`).')
      .option('--config <file>', 'configuration file (YAML) (default sync.config.yaml)')
      .option('--only <names...>', 'only these exports')
      .option('--full', 'read everything and rewrite the destinations, even for incremental exports')
      .option(
        '--prune',
        'scan Autotask for deleted records now (500 ids a call) and remove or flag them (`deletions:`); files are rewritten',
      )
      .option('--json', 'print a JSON summary instead of a table')
      .option('--verbose', 'print each Autotask API call (secrets never shown)')
      .action(async (flags: ExportFlags) => setExitCode(await exportAction(ctx, flags)));
  },
};

async function exportAction(ctx: CliContext, flags: ExportFlags): Promise<number> {
  try {
    const progress = sessionProgress(ctx, flags);
    return await withSyncSession(
      ctx,
      flags,
      async ({ signal, deps, config, secrets }) => {
        progress.bind({ secrets, client: deps.client, usage: deps.state.apiUsage });
        const specs = selectExports(config, flags.only);
        const summary = await runExports(specs, {
          client: deps.client,
          store: deps.state,
          full: flags.full === true,
          prune: flags.prune === true,
          logger: deps.logger,
          clock: deps.clock,
          signal,
          onProgress: progress.exportProgress,
        }).finally(() => progress.stop());
        const text = flags.json ? `${JSON.stringify(summary)}\n` : renderExportTable(summary);
        ctx.stdout.write(redactText(text, secrets));
        if (!flags.json) {
          for (const f of summary.failures)
            ctx.stderr.write(
              redactText(`error: export ${f.name} failed [${f.code}]: ${f.message}\n`, secrets),
            );
          for (const note of exportNotes(summary)) ctx.stderr.write(redactText(`${note}\n`, secrets));
        }
        return exportExitCode(summary);
      },
      progress.hooks,
      { lock: 'export' },
    );
  } catch (error) {
    return reportAutotaskError(ctx, error, flags.json);
  }
}

/** The exports to run: all, or those named by `--only` (an unknown name is a configuration error). */
export function selectExports(config: SyncConfig, only: readonly string[] | undefined): ExportSpec[] {
  const names = config.exports.map((e) => e.name);
  if (config.exports.length === 0) {
    throw new ConfigError(
      `${config.file} has no exports: add an \`exports:\` list (name, object, destination) to export Autotask records, e.g. ` +
        '`exports: [{ name: companies-out, object: Company, destination: { type: csv, path: export/companies.csv } }]` (docs/export.md)',
      [{ path: 'exports', message: 'no exports are configured' }],
    );
  }
  if (only === undefined) return config.exports;
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    throw new ConfigError(
      `unknown export${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the configuration has ${names.map((n) => `"${n}"`).join(', ')}`,
      unknown.map((n) => ({ path: '--only', message: `no export is named "${n}"` })),
    );
  }
  return config.exports.filter((e) => only.includes(e.name));
}

/** 0 when every export finished; 3/4 when all failures were connection/budget problems; 1 otherwise. */
export function exportExitCode(summary: ExportRunSummary): number {
  if (summary.failures.length === 0)
    return summary.exports.some((e) => e.deletions?.status === 'refused')
      ? ExitCode.RecordsFailed
      : ExitCode.Success;
  const codes = new Set(summary.failures.map((f) => f.code));
  if (codes.size === 1 && codes.has('AUTOTASK_BUDGET_EXHAUSTED')) return ExitCode.BudgetExhausted;
  const connection = [
    'AUTOTASK_AUTHENTICATION_FAILED',
    'AUTOTASK_CONNECTION_FAILED',
    'AUTOTASK_WRONG_URL',
    'AUTOTASK_TIMEOUT',
  ];
  if (summary.exports.length === 0 && [...codes].every((c) => connection.includes(c)))
    return ExitCode.ConnectionError;
  return ExitCode.RecordsFailed;
}

/** What a row's `deleted` cell says: `3 removed`, `2 flagged`, `refused`, `postponed`, or empty. */
export function deletionCell(e: ExportResult): string {
  const d = e.deletions;
  if (d === undefined) return '';
  switch (d.status) {
    case 'applied': {
      const parts = d.action === 'flag' ? [`${d.flagged} flagged`] : [`${d.removed ?? 0} removed`];
      if (d.restored > 0) parts.push(`${d.restored} restored`);
      return parts.join(', ');
    }
    case 'rewritten':
      return 'rewritten';
    default:
      return d.status;
  }
}

/** Lines under the table: refused or postponed deletion scans, columns added for new UDFs. */
export function exportNotes(summary: ExportRunSummary): string[] {
  const notes: string[] = [];
  for (const e of summary.exports) {
    const d = e.deletions;
    if (d?.status === 'refused') notes.push(`warning: ${e.name}: deletion scan refused: ${d.message ?? ''}`);
    if (d?.status === 'postponed') notes.push(`note: ${e.name}: ${d.message ?? 'deletion scan postponed'}`);
    if (d !== undefined && d.apiCalls > 0)
      notes.push(
        `${e.name}: deletion scan (${d.trigger}) read ${d.present} ids in ${d.apiCalls} call${d.apiCalls === 1 ? '' : 's'}`,
      );
    if (e.addedColumns.length > 0)
      notes.push(
        `${e.name}: new column${e.addedColumns.length === 1 ? '' : 's'} ${e.addedColumns.map((c) => `"${c}"`).join(', ')} added (new UDFs), filled without a full read`,
      );
  }
  return notes;
}

export function renderExportTable(summary: ExportRunSummary): string {
  const headers = [
    'export',
    'object',
    'mode',
    'read',
    'written',
    'skipped',
    'deleted',
    'calls',
    'destination',
  ];
  const rows = summary.exports.map((e) => [
    e.name,
    e.object,
    e.mode,
    String(e.read),
    String(e.written),
    String(e.skipped),
    deletionCell(e),
    String(e.apiCalls),
    e.destination,
  ]);
  for (const f of summary.failures) rows.push([f.name, '', 'failed', '', '', '', '', '', f.code]);
  const total = (k: 'read' | 'written' | 'skipped'): string =>
    String(summary.exports.reduce((n, e) => n + e[k], 0));
  rows.push([
    'total',
    '',
    '',
    total('read'),
    total('written'),
    total('skipped'),
    '',
    String(summary.apiCalls),
    '',
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = new Set([3, 4, 5, 7]);
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return (
    [line(headers), ...rows.map(line)].join('\n') +
    `\n${summary.apiCalls} Autotask call${summary.apiCalls === 1 ? '' : 's'} used.\n`
  );
}
