/**
 * How `run` and `plan` print their summary: a table for people, one JSON object for machines
 * (`--json`). Everything printed is redacted of the session's secrets.
 */
import { redactText } from '../../shared/redact.js';
import type { FieldChange, PlanReport, RecordOutcome, RunSummary } from '../../sync/engine/index.js';
import { RECORD_ACTIONS } from '../../sync/engine/index.js';
import { ExitCode } from '../exit-codes.js';
import { isProblem, pushListed } from '../render/listed-section.js';
import { summaryJson } from '../render/summary-json.js';

/** Rows of problems and changes shown by the table. */
const SHOWN = 20;

export function renderJson(summary: RunSummary | PlanReport, secrets: readonly string[]): string {
  return `${redactText(JSON.stringify(summaryJson(summary)), secrets)}\n`;
}

/** The human table. */
export function renderTable(summary: RunSummary | PlanReport, secrets: readonly string[]): string {
  const plan = summary.mode === 'plan';
  const headers = ['sync', 'object', ...RECORD_ACTIONS, 'calls'];
  const rows = summary.syncs.map((s) => [
    s.name,
    s.object,
    ...RECORD_ACTIONS.map((a) => String(s.counts[a])),
    String(s.apiCalls),
  ]);
  rows.push(['total', '', ...RECORD_ACTIONS.map((a) => String(summary.counts[a])), String(summary.apiCalls)]);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  out.push(plan ? 'Plan (nothing was written to Autotask):' : `Run ${summary.runId}:`);
  out.push(
    line(headers.map((h) => (plan && h === 'created' ? 'create' : plan && h === 'updated' ? 'update' : h))),
  );
  for (const r of rows) out.push(line(r));
  const seconds = ((summary.finishedAt - summary.startedAt) / 1000).toFixed(1);
  out.push('');
  // "partial" alone read as "half done": say what it means.
  const status =
    summary.status === 'succeeded'
      ? `done in ${seconds} s`
      : summary.status === 'partial'
        ? `done in ${seconds} s; some rows ${plan ? 'would be' : 'were'} refused (Problems below)`
        : `${summary.status} after ${seconds} s`;
  out.push(`Autotask calls used: ${summary.apiCalls} · ${status}`);
  if ('estimatedCalls' in summary) {
    out.push(
      `The run would cost about ${summary.estimatedCalls} Autotask calls` +
        (summary.budgetLeft === null ? '' : ` (budget left this hour: ${summary.budgetLeft})`) +
        `; estimated time ${formatDuration(summary.etaMs)}`,
    );
  }
  if (summary.error !== undefined) out.push(`Stopped: [${summary.error.code}] ${summary.error.message}`);
  // Per sync (in run order), in source line order: the engine records outcomes as they finish.
  const outcomes = summary.syncs.flatMap((s) => inSourceOrder(s.outcomes));
  const problems = outcomes.filter(isProblem);
  const inLedger = (left: number): string => `${left} more in the ledger (run ${summary.runId})`;
  pushListed(out, 'Problems', problems, describe, inLedger, SHOWN);
  const changes = outcomes.filter(
    (o) => (o.action === 'created' || o.action === 'updated') && o.diff !== null,
  );
  if (plan) pushListed(out, 'Changes', changes, describe, (left) => `${left} more`, SHOWN);
  return `${redactText(out.join('\n'), secrets)}\n`;
}

/** Where a location's line (`contacts.csv:42`) or row number (`contacts row 42`) is. */
const LINE = /(?::| row )(\d+)$/;

/** The line or row number at the end of a location, if any. */
function lineOf(location: string | null): number | undefined {
  const m = location === null ? null : LINE.exec(location);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * Outcomes sorted by source line: by file or table first (a sync may read several), then line; those
 * without a line keep their order, after the others.
 */
export function inSourceOrder(outcomes: readonly RecordOutcome[]): RecordOutcome[] {
  const source = (o: RecordOutcome): string => (o.location ?? '').replace(LINE, '');
  return outcomes
    .map((o, i) => ({ o, i, line: lineOf(o.location) }))
    .sort((a, b) => {
      if (a.line === undefined || b.line === undefined)
        return a.line === b.line ? a.i - b.i : a.line === undefined ? 1 : -1;
      const bySource = source(a.o).localeCompare(source(b.o));
      return bySource !== 0 ? bySource : a.line - b.line || a.i - b.i;
    })
    .map((x) => x.o);
}

function describe(o: RecordOutcome): string {
  const where = o.location ?? o.key ?? '';
  const target = o.autotaskId !== null && o.autotaskId > 0 ? ` #${o.autotaskId}` : '';
  const head = `${o.sync}  ${where}  ${o.action}${target}`;
  if (o.reason !== null) return `${head}${o.field ? ` (${o.field})` : ''}: ${o.reason}`;
  if (o.diff !== null) return `${head}: ${formatDiff(o.diff)}`;
  return head;
}

function formatDiff(diff: Record<string, FieldChange>): string {
  return Object.entries(diff)
    .map(([field, c]) =>
      c.from === null
        ? `${field}=${showValue(field, c.to)}`
        : `${field}: ${showValue(field, c.from)} → ${showValue(field, c.to)}`,
    )
    .join(', ');
}

/** A reference to a record a plan would create has no id yet (the engine's `PLANNED_ID`, -1). */
function showValue(field: string, value: unknown): string {
  return typeof value === 'number' && value < 0 && /ID$/.test(field)
    ? '(the record this run creates)'
    : show(value);
}

function show(value: unknown): string {
  const text =
    typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** Exit code of a finished run or plan. */
export function exitCodeOf(summary: RunSummary): number {
  if (summary.status === 'succeeded') return ExitCode.Success;
  if (summary.status === 'failed') {
    const code = summary.error?.code ?? '';
    if (code === 'AUTOTASK_BUDGET_EXHAUSTED') return ExitCode.BudgetExhausted;
    if (/AUTHENTICATION|CONNECTION|TIMEOUT|WRONG_URL|PERMISSION/.test(code)) return ExitCode.ConnectionError;
    if (code === 'INTERNAL_ERROR') return ExitCode.InternalError;
  }
  return ExitCode.RecordsFailed;
}
