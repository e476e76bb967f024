import { existsSync } from 'node:fs';

import type { AutotaskClient } from '../../autotask/client-types.js';
import { where } from '../../autotask/query.js';
import type { EntityName, EntityRecord, Filter } from '../../autotask/types.js';
import { OBJECT_ENTITIES } from '../../config/objects.js';
import type { DestinationSpec, ExportSpec } from '../../config/types.js';
import { createSink } from '../../connectors/sinks/create-sink.js';
import type { Sink, SinkRow } from '../../connectors/sinks/sink.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { silentLogger, type Logger } from '../../shared/logger.js';
import type { StateStore } from '../../state/state-store.js';
import {
  CHANGE_FIELDS,
  ChangeTracker,
  changeTimeOf,
  changedSinceFilter,
  columnsHash,
  parseChangeCursor,
  type ChangeCursor,
} from './change-cursor.js';
import { DEFAULT_DELETIONS, planDeletions, pruneDeleted, type DeletionScan } from './deletion-scan.js';
import { buildExportLayout, LABEL_SUFFIX, UDF_PREFIX, type LayoutPicklist } from './export-layout.js';

/** The Autotask client surface exports use (the real client satisfies it). */
export type ExportClient = Pick<AutotaskClient, 'entity' | 'metadata' | 'stats' | 'budget'>;

/** What `onProgress` reports: after each page written, each page of a deletion scan, and at the end. */
export interface ExportProgress {
  name: string;
  /**
   * `export` (changed records), `relabel` (records of relabelled picklist values), `backfill` (new
   * UDF columns), `deletions` (id scan), `done`.
   */
  stage: 'export' | 'relabel' | 'backfill' | 'deletions' | 'done';
  /** Records (or, while scanning for deletions, ids) read from Autotask so far. */
  read: number;
  /** Rows written so far. */
  written: number;
}

export interface ExportOptions {
  client: ExportClient;
  store: StateStore;
  /** Read everything even when `incremental: true` (and rewrite the destination). @default false */
  full?: boolean;
  /**
   * Scan for records deleted in Autotask now (`export --prune`), whatever `deletions.every` says: an
   * id-only read of 500 ids a call; SQL rows whose record is gone are removed or flagged, files are
   * rewritten in full. @default false
   */
  prune?: boolean;
  /**
   * How far before the last export's newest change to start reading again, in ms, so that changes
   * committed late (or stamped by a slightly different clock) are not missed. Records in that window
   * that were already exported unchanged are not written twice.
   * @default 300000 (5 minutes)
   */
  overlapMs?: number;
  /** Builds the destination. @default createSink */
  sinkFactory?: (destination: DestinationSpec) => Sink;
  /** @default silentLogger */
  logger?: Logger;
  /** The time deletions are flagged with. @default systemClock */
  clock?: Clock;
  /** Stops between pages; the destination is left as it was and the bookmark does not move. */
  signal?: AbortSignal;
  /** Called after each page is written or scanned, and once at the end. Must not throw. */
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportResult {
  name: string;
  object: ExportSpec['object'];
  entity: EntityName;
  /** `incremental` only when a bookmark was used; a first incremental export is `full`. */
  mode: 'full' | 'incremental';
  /** Why a full read happened although `incremental: true` (no bookmark, `--full`, ...). */
  fullReason: string | undefined;
  /** Records Autotask returned. */
  read: number;
  /** Rows written to the destination. */
  written: number;
  /** Records skipped: already exported unchanged (overlap window) or returned twice. */
  skipped: number;
  /** Autotask calls this export made (metadata from cache costs none), deletion scan included. */
  apiCalls: number;
  /** Where the rows went (no password). */
  destination: string;
  /** The new bookmark's newest change time (ISO), when one was stored. */
  changedUpTo: string | undefined;
  /** Columns of new UDFs added to the table without a full read (their values read by UDF). */
  addedColumns: string[];
  /** What was done about records deleted in Autotask, when anything was (see `DeletionScan`). */
  deletions: DeletionScan | undefined;
}

const DEFAULT_OVERLAP_MS = 5 * 60_000;

/**
 * The state store bookmark of an export (stream: the entity). Export names cannot contain `:`, so
 * this never collides with the bookmarks of syncs or of the engine.
 */
export function exportBookmarkName(exportName: string): string {
  return `export:${exportName}`;
}

/**
 * Exports one Autotask object to its destination. Pages stream straight to the sink (memory stays
 * bounded). Incremental exports read only records changed since the last one (see `CHANGE_FIELDS`),
 * upsert them into SQL tables or append them to files; the bookmark advances only after the sink
 * committed, so an interrupted export is simply repeated. With `deletions:` (or `prune`), records
 * deleted in Autotask are found by an id-only scan and removed or flagged (see `deletion-scan.ts`).
 */
export async function runExport(spec: ExportSpec, options: ExportOptions): Promise<ExportResult> {
  const { client, store } = options;
  const logger = (options.logger ?? silentLogger).child({ export: spec.name });
  const clock = options.clock ?? systemClock;
  const entity = OBJECT_ENTITIES[spec.object];
  const changeFields = CHANGE_FIELDS[entity];
  const callsBefore = client.stats().totalCalls;
  const deletionSettings = spec.deletions ?? DEFAULT_DELETIONS;

  const sink = (options.sinkFactory ?? createSink)(spec.destination);
  const canPrune = sink.pruneAbsent !== undefined;
  const flagColumn = canPrune && deletionSettings.action === 'flag' ? deletionSettings.column : undefined;
  const [fields, udfs] = await Promise.all([client.metadata.fields(entity), client.metadata.udfs(entity)]);
  const layout = buildExportLayout(fields, udfs, { deletedColumn: flagColumn });
  const layoutHash = columnsHash(layout.columns);
  const columnNames = layout.columns.map((c) => c.name);

  const bookmarkName = exportBookmarkName(spec.name);
  const bookmark = store.getBookmark(bookmarkName, entity);
  const previous = parseChangeCursor(bookmark?.value);
  // a table gains the columns of new UDFs without a full read; their values are read by UDF below
  const newUdfs =
    canPrune && previous !== undefined && previous.columns !== layoutHash
      ? newUdfColumns(previous.columnNames, columnNames, udfs, flagColumn)
      : undefined;
  let fullReason = whyFull(spec, options, changeFields, previous, sink.description, layoutHash, newUdfs);
  const plan = planDeletions({
    spec,
    prune: options.prune === true,
    incremental: fullReason === undefined,
    canPrune,
    previous,
    budget: client.budget(),
  });
  if (plan.rewrite !== undefined) fullReason = plan.rewrite;
  const full = fullReason !== undefined;
  const tracker = new ChangeTracker(full ? undefined : previous, options.overlapMs ?? DEFAULT_OVERLAP_MS);
  const since = tracker.since();
  const filter: Filter = since === undefined ? where.all() : changedSinceFilter(changeFields, since);
  logger.info({ entity, mode: full ? 'full' : 'incremental', fullReason }, 'export started');

  let read = 0;
  let written = 0;
  let skipped = 0;
  let deletions: DeletionScan | undefined;
  const writtenIds = new Set<number>();
  const progress = (stage: ExportProgress['stage'], count = read): void =>
    options.onProgress?.({ name: spec.name, stage, read: count, written });
  // flagging keeps the rows of deleted records, so a full read upserts and flags instead of replacing
  const mergeFull = full && flagColumn !== undefined;
  await sink.open(layout.columns, { mode: !full || mergeFull ? 'merge' : 'replace' });
  try {
    const writePages = async (
      pages: AsyncIterable<{ items: unknown[] }>,
      stage: ExportProgress['stage'],
      track: boolean,
    ): Promise<void> => {
      for await (const page of pages) {
        options.signal?.throwIfAborted();
        const rows: SinkRow[] = [];
        for (const record of page.items as EntityRecord[]) {
          read += 1;
          const changeTime = changeTimeOf(record, changeFields);
          if (writtenIds.has(record.id) || (track && tracker.isAlreadyExported(record.id, changeTime))) {
            skipped += 1;
          } else {
            writtenIds.add(record.id);
            rows.push(layout.toRow(record));
          }
          if (track) tracker.observe(record.id, changeTime);
        }
        await sink.write(rows);
        written += rows.length;
        progress(stage);
      }
    };
    await writePages(client.entity(entity).queryPages({ filter: [filter] }), 'export', true);
    if (!full && canPrune) {
      // a relabelled picklist value: its records are read again (≤ 500 values a query) for the new label
      for (const { field, udf, values } of relabelled(previous?.labels, layout.picklists))
        for (let i = 0; i < values.length; i += 500)
          await writePages(
            client.entity(entity).queryPages({
              filter: [{ op: 'in', field, value: values.slice(i, i + 500), ...(udf ? { udf } : {}) }],
            }),
            'relabel',
            false,
          );
    }
    if (!full && newUdfs !== undefined) {
      // one query per new UDF: only records that hold a value for it (the rest stay null)
      for (const udf of newUdfs.udfs)
        await writePages(
          client.entity(entity).queryPages({ filter: [{ op: 'exist', field: udf, udf: true }] }),
          'backfill',
          false,
        );
    }
    options.signal?.throwIfAborted();
    if (mergeFull || plan.scan !== undefined) {
      deletions = await pruneDeleted({
        client,
        entity,
        sink,
        settings: deletionSettings,
        flagColumn,
        trigger: mergeFull ? 'full read' : plan.scan!,
        // a full read already saw every id: no scan needed
        knownIds: mergeFull ? writtenIds : undefined,
        at: new Date(clock.now()),
        signal: options.signal,
        onPage: (ids) => progress('deletions', ids),
      });
    } else if (plan.rewrite !== undefined) {
      deletions = {
        ...noScan(plan.rewriteTrigger ?? 'requested', deletionSettings.action, 'rewritten'),
        present: read,
        message: 'the file was rewritten with the records that exist',
      };
    } else if (plan.postponed !== undefined) {
      deletions = { ...noScan('scheduled', deletionSettings.action, 'postponed'), message: plan.postponed };
    }
    options.signal?.throwIfAborted();
    await sink.close();
  } catch (error) {
    await sink.abort();
    throw error;
  }

  // a full read settles deletions (rows replaced, flagged or the file rewritten), as does a scan
  const scanned = full || deletions?.status === 'applied' || deletions?.status === 'refused';
  const next =
    changeFields.length > 0
      ? tracker.next(sink.description, layoutHash, {
          columnNames,
          sinceScan: scanned ? 0 : (previous?.sinceScan ?? 0) + 1,
          knownIds: full ? writtenIds.size : scanned ? deletions?.present : previous?.knownIds,
          labels: Object.fromEntries(layout.picklists.map((p) => [p.column, p.labels])),
        })
      : undefined;
  if (next) {
    store.setBookmark({
      name: bookmarkName,
      stream: entity,
      field: changeFields.join(','),
      value: JSON.stringify(next),
    });
  } else {
    store.deleteBookmark(bookmarkName, entity);
  }
  progress('done');
  const result: ExportResult = {
    name: spec.name,
    object: spec.object,
    entity,
    mode: full ? 'full' : 'incremental',
    fullReason: spec.incremental ? fullReason : undefined,
    read,
    written,
    skipped,
    apiCalls: client.stats().totalCalls - callsBefore,
    destination: sink.description,
    changedUpTo: next ? new Date(next.watermark).toISOString() : undefined,
    addedColumns: !full && newUdfs !== undefined ? newUdfs.columns : [],
    deletions,
  };
  logger.info({ ...result }, 'export finished');
  return result;
}

/**
 * The picklist values whose label changed (or that left the picklist) since the last export, per
 * picklist; nothing for a picklist the last export did not record.
 */
function relabelled(
  previous: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined,
  picklists: readonly LayoutPicklist[],
): { field: string; udf: boolean; values: (string | number)[] }[] {
  const out: { field: string; udf: boolean; values: (string | number)[] }[] = [];
  for (const p of picklists) {
    const before = previous?.[p.column];
    if (before === undefined) continue;
    const values = new Set([...Object.keys(before), ...Object.keys(p.labels)]);
    const changed = [...values].filter((value) => before[value] !== p.labels[value]);
    if (changed.length > 0)
      out.push({
        field: p.field,
        udf: p.udf,
        values: changed.map((v) => (/^-?\d+$/.test(v) ? Number(v) : v)),
      });
  }
  return out;
}

function noScan(
  trigger: DeletionScan['trigger'],
  action: DeletionScan['action'],
  status: DeletionScan['status'],
): DeletionScan {
  return {
    trigger,
    action,
    status,
    present: 0,
    removed: 0,
    flagged: 0,
    restored: 0,
    apiCalls: 0,
    message: undefined,
  };
}

/**
 * When the only new columns since the last export belong to queryable UDFs (or are the deletion
 * flag), the UDFs to read values of and the columns added; undefined when another column appeared (a
 * full read is then needed) or the last export did not record its columns.
 */
function newUdfColumns(
  previous: readonly string[] | undefined,
  current: readonly string[],
  udfs: readonly { name: string; isQueryable: boolean }[],
  flagColumn: string | undefined,
): { udfs: string[]; columns: string[] } | undefined {
  if (previous === undefined) return undefined;
  const before = new Set(previous);
  const added = current.filter((c) => !before.has(c));
  const names = new Set<string>();
  for (const column of added) {
    if (column === flagColumn) continue;
    const udf = udfs.find(
      (u) => column === UDF_PREFIX + u.name || column === UDF_PREFIX + u.name + LABEL_SUFFIX,
    );
    // a UDF that cannot be queried cannot be read on its own: the export reads everything instead
    if (udf === undefined || !udf.isQueryable) return undefined;
    names.add(udf.name);
  }
  return { udfs: [...names], columns: added };
}

function whyFull(
  spec: ExportSpec,
  options: ExportOptions,
  changeFields: readonly string[],
  previous: ChangeCursor | undefined,
  destination: string,
  layoutHash: string,
  newUdfs: ReturnType<typeof newUdfColumns>,
): string | undefined {
  if (!spec.incremental) return 'not incremental';
  if (options.full) return 'full export requested';
  if (changeFields.length === 0) return `${spec.object} records have no change timestamp: always read whole`;
  if (!previous) return 'first export (no bookmark yet)';
  if (previous.destination !== destination) return 'the destination changed since the last export';
  if (previous.columns !== layoutHash && newUdfs === undefined)
    return 'the fields in Autotask changed since the last export';
  if (
    (spec.destination.type === 'csv' || spec.destination.type === 'jsonl') &&
    !existsSync(spec.destination.path)
  )
    return 'the destination file is missing';
  return undefined;
}
