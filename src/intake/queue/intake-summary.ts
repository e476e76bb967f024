/**
 * What `history` says about the intake queue of `serve`: items per state, and how to see the
 * dead-letter list. Nothing when the state database has never queued anything.
 */
import type { Clock } from '../../shared/clock.js';
import { IntakeQueue, type IntakeItemStatus } from './intake-queue.js';

export type IntakeCounts = Record<IntakeItemStatus, number>;

/** Items per state over every intake of the state database at `statePath`. */
export function intakeCounts(statePath: string, clock: Clock): IntakeCounts {
  const counts: IntakeCounts = { queued: 0, processing: 0, done: 0, dead: 0 };
  const queue = new IntakeQueue({ path: statePath, clock });
  try {
    for (const c of queue.counts()) counts[c.status] += c.count;
  } finally {
    queue.close();
  }
  return counts;
}

/** `intake: 120 done, 2 queued, 1 dead (dead letters: autotask-sync intake list --status dead)`, or undefined. */
export function intakeSummaryLine(counts: IntakeCounts): string | undefined {
  const total = counts.queued + counts.processing + counts.done + counts.dead;
  if (total === 0) return undefined;
  const parts = (['done', 'queued', 'processing', 'dead'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`);
  const hint =
    counts.dead > 0
      ? ' (dead letters: autotask-sync intake list --status dead; retry: autotask-sync intake retry)'
      : '';
  return `Intake queue (serve): ${parts.join(', ')}${hint}`;
}
