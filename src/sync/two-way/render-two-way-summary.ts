/** Plain-text lines for `run` about its two-way syncs (no secrets: table descriptions carry none). */
import type { TwoWayRunSummary } from './types.js';

export function renderTwoWaySummary(summary: TwoWayRunSummary): string {
  const lines: string[] = [];
  for (const r of summary.results) {
    lines.push(
      `two-way ${r.name} (${r.object}; read ${r.autotaskRead}/${r.sqlRead}: ${r.read.autotask} Autotask, ${r.read.sql} rows): ` +
        `Autotask +${r.autotask.created} ~${r.autotask.updated} -${r.autotask.deactivated}, ` +
        `table +${r.sql.created} ~${r.sql.updated} -${r.sql.deactivated}, unchanged ${r.unchanged}, ` +
        `overridden ${r.overridden}, conflicts ${r.conflicts}, invalid ${r.invalid}, failed ${r.failed}, ` +
        `deletes seen ${r.deletesSeen}, ${r.apiCalls} API calls`,
    );
    for (const note of r.notes.slice(0, 20)) lines.push(`  note: ${note}`);
    if (r.notes.length > 20) lines.push(`  ... and ${r.notes.length - 20} more notes`);
  }
  if (summary.error) lines.push(`two-way run stopped [${summary.error.code}]: ${summary.error.message}`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Exit code of a two-way run (the values of `ExitCode`): 0 all good, 1 records held back or failed. */
export function twoWayExitCode(summary: TwoWayRunSummary): number {
  const code = summary.error?.code ?? '';
  if (code === 'AUTOTASK_BUDGET_EXHAUSTED') return 4;
  if (/AUTHENTICATION|CONNECTION|TIMEOUT|WRONG_URL|PERMISSION/.test(code)) return 3;
  return summary.status === 'succeeded' ? 0 : 1;
}
