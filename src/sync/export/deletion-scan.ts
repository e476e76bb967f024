/**
 * Records deleted in Autotask, for exports. Autotask has no feed of deletions (API doc §12.6), so the
 * ids that still exist are read whole — `IncludeFields: ["id"]`, 500 ids a call — and the rows of a
 * SQL destination whose id is not among them are removed or flagged in the export's transaction.
 * Files cannot drop a line in place, so a file export is rewritten in full instead (a full read costs
 * the same number of calls as an id scan: one per 500 records).
 */
import { where } from '../../autotask/query.js';
import type { EntityName } from '../../autotask/types.js';
import type { ExportSpec } from '../../config/types.js';
import type { Sink } from '../../connectors/sinks/sink.js';
import type { ChangeCursor } from './change-cursor.js';
import { exportDeletionsSchema, type ExportDeletionsSpec } from './deletions-spec.js';
import type { ExportClient } from './run-export.js';

/** The settings `export --prune` uses for an export without `deletions:` (never scheduled). */
export const DEFAULT_DELETIONS: ExportDeletionsSpec = { ...exportDeletionsSchema.parse({}), every: 0 };

/** Safety rail floor: the share limit applies from this many rows removed. */
const GUARD_MIN_ROWS = 10;
const IDS_PER_PAGE = 500;

/** What an export did about deleted records (`ExportResult.deletions`). */
export interface DeletionScan {
  /** `requested` (`--prune`), `scheduled` (`deletions.every`), or `full read` (the ids came free). */
  trigger: 'requested' | 'scheduled' | 'full read';
  action: ExportDeletionsSpec['action'];
  /**
   * `applied`: rows removed or flagged; `refused`: the safety rail (`maxShare`) stopped it, nothing
   * changed; `postponed`: a scheduled scan left for a later export, the hour's budget being short;
   * `rewritten`: a file destination was rewritten with the records that exist.
   */
  status: 'applied' | 'refused' | 'postponed' | 'rewritten';
  /** Records that exist in Autotask (ids read). */
  present: number;
  /** Rows removed (`null` when a file was rewritten: not counted). */
  removed: number | null;
  /** Rows flagged as deleted (`action: flag`). */
  flagged: number;
  /** Flagged rows whose record exists again (flag cleared). */
  restored: number;
  /** Autotask calls of the id scan (0 when a full read gave the ids). */
  apiCalls: number;
  /** Why nothing was removed (refused, postponed), for the summary. */
  message: string | undefined;
}

export interface DeletionPlan {
  /** Scan the ids and prune the table. */
  scan: 'requested' | 'scheduled' | undefined;
  /** A file destination is due a scan: read it in full instead; this is the full read's reason. */
  rewrite: string | undefined;
  rewriteTrigger: 'requested' | 'scheduled' | undefined;
  /** A scheduled scan waits for a later export: why. */
  postponed: string | undefined;
}

/**
 * Whether this export looks for deletions. Only incremental reads need to: a full read replaces (or,
 * flagging, reconciles) the destination anyway. A scheduled scan is postponed when it would take more
 * than half of what is left of this installation's share of the hour (estimated from the record count
 * of the last scan or full read); a requested one always runs (the client waits for budget if needed).
 */
export function planDeletions(input: {
  spec: ExportSpec;
  prune: boolean;
  incremental: boolean;
  canPrune: boolean;
  previous: ChangeCursor | undefined;
  budget: { used: number; allowed: number };
}): DeletionPlan {
  const plan: DeletionPlan = {
    scan: undefined,
    rewrite: undefined,
    rewriteTrigger: undefined,
    postponed: undefined,
  };
  if (!input.incremental) return plan;
  const every = input.spec.deletions?.every ?? 0;
  const due = every > 0 && (input.previous?.sinceScan ?? 0) + 1 >= every;
  const trigger = input.prune ? 'requested' : due ? 'scheduled' : undefined;
  if (trigger === undefined) return plan;
  if (trigger === 'scheduled') {
    const estimate = Math.ceil((input.previous?.knownIds ?? 0) / IDS_PER_PAGE) + 1;
    const left = Math.max(0, input.budget.allowed - input.budget.used);
    if (estimate * 2 > left) {
      plan.postponed = `deletion scan postponed: it costs about ${estimate} calls and ${left} are left of this hour's share`;
      return plan;
    }
  }
  if (input.canPrune) plan.scan = trigger;
  else {
    plan.rewrite =
      trigger === 'requested'
        ? 'deletion scan requested: a file is rewritten with the records that exist'
        : 'scheduled deletion scan: a file is rewritten with the records that exist';
    plan.rewriteTrigger = trigger;
  }
  return plan;
}

/** The ids of every record of `entity`, a page (≤ 500) at a time. */
async function* idPages(
  client: ExportClient,
  entity: EntityName,
  signal: AbortSignal | undefined,
  onPage: (seen: number) => void,
): AsyncGenerator<number[]> {
  let seen = 0;
  for await (const page of client
    .entity(entity)
    .queryPages({ filter: [where.all()], includeFields: ['id'], maxRecords: IDS_PER_PAGE })) {
    signal?.throwIfAborted();
    const ids = (page.items as { id: unknown }[])
      .map((r) => r.id)
      .filter((id): id is number => typeof id === 'number');
    seen += ids.length;
    onPage(seen);
    yield ids;
  }
}

/** The ids of a full read, in large pages (they are local: no call). */
function chunks(ids: ReadonlySet<number>): AsyncIterable<number[]> {
  const pages: number[][] = [];
  let page: number[] = [];
  for (const id of ids) {
    page.push(id);
    if (page.length === IDS_PER_PAGE * 10) {
      pages.push(page);
      page = [];
    }
  }
  if (page.length > 0) pages.push(page);
  return {
    [Symbol.asyncIterator]: () => {
      let i = 0;
      return {
        next: () =>
          Promise.resolve(
            i < pages.length ? { done: false, value: pages[i++]! } : { done: true, value: undefined },
          ),
      };
    },
  };
}

/**
 * Removes or flags the rows of records gone from Autotask, in the sink's open transaction: ids from
 * `knownIds` (a full read just saw them all) or from an id scan. The safety rail refuses when more
 * than `maxShare` of the rows (and at least 10) would go: then nothing changes.
 */
export async function pruneDeleted(input: {
  client: ExportClient;
  entity: EntityName;
  sink: Sink;
  settings: ExportDeletionsSpec;
  flagColumn: string | undefined;
  trigger: DeletionScan['trigger'];
  knownIds: ReadonlySet<number> | undefined;
  at: Date;
  signal: AbortSignal | undefined;
  onPage: (seen: number) => void;
}): Promise<DeletionScan> {
  const { client, sink, settings } = input;
  if (sink.pruneAbsent === undefined) throw new Error('pruneDeleted needs a sink that can prune');
  const before = client.stats().totalCalls;
  const action = input.flagColumn === undefined ? 'delete' : 'flag';
  const keys =
    input.knownIds === undefined
      ? idPages(client, input.entity, input.signal, input.onPage)
      : chunks(input.knownIds);
  let refusal: string | undefined;
  const outcome = await sink.pruneAbsent(keys, {
    action,
    flagColumn: input.flagColumn,
    at: input.at,
    allow: (absent, total) => {
      if (absent < GUARD_MIN_ROWS || absent <= settings.maxShare * total) return true;
      refusal =
        `${absent} of ${total} rows would be ${action === 'flag' ? 'flagged as deleted' : 'removed'}, more than ` +
        `deletions.maxShare (${Math.round(settings.maxShare * 100)}%): nothing was changed. Check that the API user ` +
        'still sees these records in Autotask, then raise deletions.maxShare to let it through';
      return false;
    },
  });
  return {
    trigger: input.trigger,
    action,
    status: outcome.applied ? 'applied' : 'refused',
    present: outcome.present,
    removed: outcome.removed,
    flagged: outcome.flagged,
    restored: outcome.restored,
    apiCalls: client.stats().totalCalls - before,
    message: refusal,
  };
}
