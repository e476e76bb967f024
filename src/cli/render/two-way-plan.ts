/**
 * How `plan` prints its two-way part: for people, a table of what each side would receive, then the
 * problems and the field changes (`Autotask phone: "+1 555 0101" → "+1 555 0199" (table wins)`);
 * for machines (`--json`), `{"twoWay": <the one-way plan document's shape>}` on one line, like
 * `run --json` prints its two-way summary. Everything printed is redacted of the session's secrets.
 */
import { redactText } from '../../shared/redact.js';
import type { RecordOutcome } from '../../sync/engine/index.js';
import type { TwoWayFieldChange, TwoWayPlanReport } from '../../sync/two-way/index.js';
import { formatDuration } from './format.js';
import { toJsonLine } from './json-output.js';
import { isProblem, pushListed } from './listed-section.js';
import { summaryJson } from './summary-json.js';
import { renderTable } from './table.js';

/** Problems and changes listed per kind in the text. */
const SHOWN = 20;
/** Longest value shown in a change. */
const VALUE_WIDTH = 60;

/** The `--json` document of a two-way plan: the one-way plan's keys, and each sync's `twoWay` detail. */
export function twoWayPlanJson(report: TwoWayPlanReport): Record<string, unknown> {
  // the one-way document, each sync with its kind and what each side would receive
  return {
    ...summaryJson(report),
    syncs: report.syncs.map((s) => ({
      name: s.name,
      object: s.object,
      kind: s.kind,
      ...s.counts,
      apiCalls: s.apiCalls,
      twoWay: s.twoWay,
      outcomes: s.outcomes,
    })),
  };
}

export function renderTwoWayPlanJson(report: TwoWayPlanReport, secrets: readonly string[]): string {
  return toJsonLine({ twoWay: twoWayPlanJson(report) }, secrets);
}

export function renderTwoWayPlan(report: TwoWayPlanReport, secrets: readonly string[]): string {
  const out: string[] = ['Two-way plan (nothing was written to Autotask or the tables):'];
  const rows = report.syncs.map((s) => {
    const t = s.twoWay;
    return [
      s.name,
      s.object,
      `${t.autotaskRead}/${t.sqlRead}`,
      `+${t.autotask.create} ~${t.autotask.update} -${t.autotask.deactivate}`,
      `+${t.table.insert} ~${t.table.update} -${t.table.deactivate}`,
      String(s.counts.unchanged),
      String(t.overridden),
      String(s.counts.conflict),
      String(s.counts.invalid),
      String(s.counts.skipped),
      String(s.apiCalls),
    ];
  });
  out.push(
    renderTable(
      [
        'sync',
        'object',
        'read',
        'Autotask',
        'table',
        'unchanged',
        'overridden',
        'conflict',
        'invalid',
        'skipped',
        'calls',
      ],
      rows,
      { rightAlign: [5, 6, 7, 8, 9, 10], maxCellWidth: 40 },
    ),
  );
  out.push(
    '',
    'Autotask/table: +created ~updated -deactivated; overridden: fields where the rule overwrites a change',
  );
  out.push(
    `Autotask calls used: ${report.apiCalls}. The run would cost about ${report.estimatedCalls} Autotask calls` +
      (report.budgetLeft === null ? '' : ` (budget left this hour: ${report.budgetLeft})`) +
      `; estimated time ${formatDuration(report.etaMs)}`,
  );
  if (report.error !== undefined)
    out.push(`The run would stop: [${report.error.code}] ${report.error.message}`);
  const outcomes = report.syncs.flatMap((s) => s.outcomes);
  const more = (left: number): string => `${left} more: autotask-sync show ${report.runId}`;
  pushListed(out, 'Problems', outcomes.filter(isProblem), describe, more, SHOWN);
  const changes = outcomes.filter(
    (o) => o.action === 'created' || o.action === 'updated' || o.action === 'skipped',
  );
  pushListed(out, 'Changes', changes, describe, more, SHOWN);
  const notes = report.syncs.flatMap((s) => s.twoWay.notes.map((n) => `${s.name}: ${n}`));
  pushListed(
    out,
    'Notes',
    notes,
    (note) => note,
    (left) => `${left} more`,
    SHOWN,
  );
  return `${redactText(out.join('\n'), secrets)}\n`;
}

function describe(o: RecordOutcome): string {
  // a record new in Autotask is located by its id already (`Autotask Company 123`)
  const located = o.location?.endsWith(` ${o.autotaskId}`) === true;
  const target = o.autotaskId !== null && o.autotaskId > 0 && !located ? ` #${o.autotaskId}` : '';
  const head = `${o.sync}  ${o.location ?? o.key ?? ''}  ${o.action === 'created' ? 'create' : o.action === 'updated' ? 'update' : o.action}${target}`;
  const diff = o.diff === null ? '' : formatChanges(o.diff as Record<string, Partial<TwoWayFieldChange>>);
  // a change's fields say which side is written; its reason ("created in Autotask") would repeat it
  if (diff !== '' && (o.action === 'created' || o.action === 'updated')) return `${head}: ${diff}`;
  if (o.reason !== null) return `${head}${o.field ? ` (${o.field})` : ''}: ${o.reason}`;
  return diff ? `${head}: ${diff}` : head;
}

/** `Autotask phone: "a" → "b" (table wins over a change in Autotask), table website="x"`. */
export function formatChanges(diff: Readonly<Record<string, Partial<TwoWayFieldChange>>>): string {
  return Object.entries(diff)
    .map(([field, c]) => {
      const side = c.side === 'sql' ? `table ${c.column ?? field}` : `Autotask ${field}`;
      const change =
        c.from === null || c.from === undefined
          ? `${side}=${show(c.to)}`
          : `${side}: ${show(c.from)} → ${show(c.to)}`;
      const loser = c.winner === 'sql' ? 'Autotask' : 'the table';
      const winner = c.winner === 'sql' ? 'table' : 'Autotask';
      return c.conflict === true ? `${change} (${winner} wins over a change in ${loser})` : change;
    })
    .join(', ');
}

/**
 * The changes of a two-way ledger entry (its diff entries carry the `side` written), for `show`;
 * undefined for a one-way entry's diff.
 */
export function twoWayChangesText(diff: Readonly<Record<string, unknown>> | null): string | undefined {
  if (diff === null) return undefined;
  const entries = Object.values(diff);
  const twoWay =
    entries.length > 0 && entries.every((c) => typeof c === 'object' && c !== null && 'side' in c);
  return twoWay ? formatChanges(diff as Record<string, Partial<TwoWayFieldChange>>) : undefined;
}

function show(value: unknown): string {
  const text = value === null || value === undefined ? 'null' : JSON.stringify(value);
  return text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text;
}
