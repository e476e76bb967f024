/**
 * Processes a batch of queued form submissions through the sync engine: each record stream of the
 * intake becomes a sync whose source is the batch (one row per submission), so a submission goes
 * through exactly the code of a file sync (map → match → load with intents → checkpoint). The ledger
 * of that run, keyed by the submission's location, says what became of each submission.
 */
import type { WritableObject } from '../../config/objects.js';
import { canonicalObject } from '../../config/objects.js';
import type { SyncSpec } from '../../config/types.js';
import type { Source, SourceRecord } from '../../connectors/source.js';
import { formatLocation } from '../../connectors/source.js';
import { runSyncs } from '../../sync/engine/index.js';
import { heldUntilOf, isHeldBackReason } from '../../sync/engine/reconcile-intents.js';
import type { EngineDeps, EngineOptions, RunSummary } from '../../sync/engine/index.js';
import type { FormIntakeSpec } from '../intake-config-schema.js';
import type { SharedRecords } from './batch-keys.js';
import type { IntakeItem, IntakeOutcome } from '../queue/intake-queue.js';

/** What became of one submission of the batch. */
export interface SubmissionResult {
  id: number;
  /** `done`: every record written or unchanged; `retry`: try again later; `dead`: never will work. */
  verdict: 'done' | 'retry' | 'dead';
  /** Retry it alone: it conflicted with another submission of its batch. */
  solo?: boolean;
  reason: string | null;
  outcome: IntakeOutcome;
  /**
   * With `retry`: a record of the submission is held back until this time (ms since the epoch, from
   * its reason) because an earlier create of it may still land in Autotask: no sooner retry can
   * write it. A hold lasts at most the settle period (`engine.intentSettleSeconds`).
   */
  notBefore?: number;
  /**
   * With `retry`: nothing of the submission was sent; every record that failed was held back
   * (`notBefore`) or waited for one that was. Not the submission's fault: no attempt is counted.
   */
  waitOnly?: true;
}

/** The reason of a record that waited for a same-run record that was not written (`DependencyNotWrittenError`). */
const DEPENDENCY_NOT_WRITTEN = / was not written: /;

export interface FormBatchResult {
  runId: number | null;
  summary: RunSummary | null;
  results: SubmissionResult[];
  /** The run as a whole failed (Autotask down, throttled, over budget, credentials refused). */
  runError: { code: string; message: string } | null;
}

/** Location of a submission as the ledger records it: `intake website (submission=12)`. */
export function submissionLocation(intake: string, id: number): string {
  return formatLocation({ table: `intake ${intake}`, key: `submission=${id}`, index: 0 });
}

/** The syncs an intake's record streams stand for (their source is a placeholder the batch replaces). */
export function intakeSyncs(spec: FormIntakeSpec): SyncSpec[] {
  return spec.records.map((r) => ({
    name: r.name,
    object: canonicalObject(r.object) as WritableObject,
    source: { type: 'jsonl', path: `intake:${spec.name}`, flatten: true },
    mode: r.mode,
    ...(r.key === undefined ? {} : { key: r.key }),
    ...(r.where === undefined ? {} : { where: r.where }),
    fields: r.fields,
  }));
}

/**
 * A source over the batch for one record stream: each submission is one row, located by its
 * submission id; submissions that share an earlier one's identical record are left out.
 */
function batchSource(
  spec: FormIntakeSpec,
  all: readonly IntakeItem[],
  skip: ReadonlyMap<number, number> | undefined,
): Source {
  const items = skip === undefined ? all : all.filter((i) => !skip.has(i.id));
  const columns = [...new Set(items.flatMap((i) => Object.keys(i.body)))];
  return {
    name: `intake ${spec.name}`,
    describe: () => Promise.resolve({ columns }),
    read: async function* (): AsyncIterable<SourceRecord> {
      for (const [index, item] of items.entries())
        yield {
          values: item.body,
          location: { table: `intake ${spec.name}`, key: `submission=${item.id}`, index },
        };
      await Promise.resolve();
    },
  };
}

/**
 * Runs the batch through the engine and classifies each submission. Never throws for a record-level
 * or Autotask-level problem: a run that could not proceed is `runError`, every item then `retry`.
 */
export async function processFormBatch(
  deps: Omit<EngineDeps, 'openSource'>,
  spec: FormIntakeSpec,
  items: readonly IntakeItem[],
  shared: SharedRecords = new Map(),
  signal?: AbortSignal,
  engineOptions: Pick<EngineOptions, 'intentSettleMs'> = {},
): Promise<FormBatchResult> {
  const syncs = intakeSyncs(spec);
  const summary = await runSyncs(
    { ...deps, openSource: (sync) => batchSource(spec, items, shared.get(sync.name)) },
    { syncs },
    {
      ...engineOptions,
      ...(signal === undefined ? {} : { signal }),
      maxDiffsInReport: 0,
      watermarkOverlapMs: 60_000,
    },
  );
  if (summary.status === 'failed' || summary.status === 'aborted') {
    const runError = summary.error ?? { code: 'ABORTED', message: 'the run was stopped' };
    return {
      runId: summary.runId,
      summary,
      runError,
      results: items.map((i) => ({
        id: i.id,
        verdict: 'retry',
        reason: `${runError.code}: ${runError.message}`,
        outcome: { records: [] },
      })),
    };
  }
  const byLocation = new Map<string, IntakeOutcome['records']>();
  for (const entry of deps.state.iterateLedger({ runId: summary.runId })) {
    if (entry.sourceLocation === null) continue;
    let list = byLocation.get(entry.sourceLocation);
    if (list === undefined) byLocation.set(entry.sourceLocation, (list = []));
    list.push({
      name: entry.sync,
      action: entry.action,
      autotaskId: entry.autotaskId,
      reason: entry.reason,
      field: entry.field,
    });
  }
  const results = items.map((item): SubmissionResult => {
    const records = [...(byLocation.get(submissionLocation(spec.name, item.id)) ?? [])];
    for (const [stream, leaders] of shared) {
      const leader = leaders.get(item.id);
      if (leader === undefined) continue;
      const theirs = byLocation.get(submissionLocation(spec.name, leader))?.find((r) => r.name === stream);
      if (theirs !== undefined) records.push({ ...theirs, sharedWith: leader });
    }
    const outcome: IntakeOutcome = { records };
    const invalid = records.find((r) => r.action === 'invalid');
    if (invalid !== undefined) return { id: item.id, verdict: 'dead', reason: describe(invalid), outcome };
    const conflict = records.find((r) => r.action === 'conflict');
    if (conflict !== undefined) {
      // In a batch of several, the other record of the conflict may be another submission: retry alone.
      if (items.length > 1)
        return { id: item.id, verdict: 'retry', solo: true, reason: describe(conflict), outcome };
      return { id: item.id, verdict: 'dead', reason: describe(conflict), outcome };
    }
    const failed = records.filter((r) => r.action === 'failed');
    let notBefore: number | undefined;
    for (const r of failed) {
      const until = heldUntilOf(r.reason);
      if (until !== undefined && (notBefore === undefined || until > notBefore)) notBefore = until;
    }
    const held = failed.find((r) => isHeldBackReason(r.reason));
    const waitOnly =
      held !== undefined &&
      failed.every((r) => isHeldBackReason(r.reason) || DEPENDENCY_NOT_WRITTEN.test(r.reason ?? ''));
    const first = waitOnly ? held : failed[0];
    if (first !== undefined)
      return {
        id: item.id,
        verdict: 'retry',
        reason: describe(first),
        outcome,
        ...(notBefore === undefined ? {} : { notBefore }),
        ...(waitOnly ? { waitOnly: true as const } : {}),
      };
    return { id: item.id, verdict: 'done', reason: null, outcome };
  });
  return { runId: summary.runId, summary, runError: null, results };
}

function describe(record: IntakeOutcome['records'][number]): string {
  const field = record.field ? ` (${record.field})` : '';
  return `${record.name}: ${record.action}${field}: ${record.reason ?? 'no reason given'}`;
}
