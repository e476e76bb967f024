import { existsSync } from 'node:fs';

import type { AutotaskClient } from '../../autotask/client-types.js';
import { where } from '../../autotask/query.js';
import type { EntityName, EntityRecord, Filter } from '../../autotask/types.js';
import { OBJECT_ENTITIES } from '../../config/objects.js';
import type { DestinationSpec, ExportSpec } from '../../config/types.js';
import { createSink } from '../../connectors/sinks/create-sink.js';
import type { Sink, SinkRow } from '../../connectors/sinks/sink.js';
import { silentLogger, type Logger } from '../../shared/logger.js';
import type { StateStore } from '../../state/state-store.js';
import {
  CHANGE_FIELDS,
  ChangeTracker,
  changeTimeOf,
  changedSinceFilter,
  columnsHash,
  parseChangeCursor,
} from './change-cursor.js';
import { buildExportLayout } from './export-layout.js';

/** The Autotask client surface exports use (the real client satisfies it). */
export type ExportClient = Pick<AutotaskClient, 'entity' | 'metadata' | 'stats'>;

export interface ExportOptions {
  client: ExportClient;
  store: StateStore;
  /** Read everything even when `incremental: true` (and rewrite the destination). @default false */
  full?: boolean;
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
  /** Stops between pages; the destination is left as it was and the bookmark does not move. */
  signal?: AbortSignal;
  /** Called after each page is written. */
  onProgress?: (progress: { name: string; read: number; written: number }) => void;
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
  /** Autotask calls this export made (metadata from cache costs none). */
  apiCalls: number;
  /** Where the rows went (no password). */
  destination: string;
  /** The new bookmark's newest change time (ISO), when one was stored. */
  changedUpTo: string | undefined;
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
 * committed, so an interrupted export is simply repeated.
 */
export async function runExport(spec: ExportSpec, options: ExportOptions): Promise<ExportResult> {
  const { client, store } = options;
  const logger = (options.logger ?? silentLogger).child({ export: spec.name });
  const entity = OBJECT_ENTITIES[spec.object];
  const changeFields = CHANGE_FIELDS[entity];
  const callsBefore = client.stats().totalCalls;

  const [fields, udfs] = await Promise.all([client.metadata.fields(entity), client.metadata.udfs(entity)]);
  const layout = buildExportLayout(fields, udfs);
  const sink = (options.sinkFactory ?? createSink)(spec.destination);
  const layoutHash = columnsHash(layout.columns);

  const bookmarkName = exportBookmarkName(spec.name);
  const bookmark = store.getBookmark(bookmarkName, entity);
  const previous = parseChangeCursor(bookmark?.value);
  const fullReason = whyFull(spec, options, changeFields, previous, sink.description, layoutHash);
  const tracker = new ChangeTracker(
    fullReason === undefined ? previous : undefined,
    options.overlapMs ?? DEFAULT_OVERLAP_MS,
  );
  const since = tracker.since();
  const filter: Filter = since === undefined ? where.all() : changedSinceFilter(changeFields, since);
  logger.info({ entity, mode: since === undefined ? 'full' : 'incremental', fullReason }, 'export started');

  let read = 0;
  let written = 0;
  let skipped = 0;
  const writtenIds = new Set<number>();
  await sink.open(layout.columns, { mode: since === undefined ? 'replace' : 'merge' });
  try {
    for await (const page of client.entity(entity).queryPages({ filter: [filter] })) {
      options.signal?.throwIfAborted();
      const rows: SinkRow[] = [];
      for (const record of page.items as EntityRecord[]) {
        read += 1;
        const changeTime = changeTimeOf(record, changeFields);
        if (writtenIds.has(record.id) || tracker.isAlreadyExported(record.id, changeTime)) {
          skipped += 1;
        } else {
          writtenIds.add(record.id);
          rows.push(layout.toRow(record));
        }
        tracker.observe(record.id, changeTime);
      }
      await sink.write(rows);
      written += rows.length;
      options.onProgress?.({ name: spec.name, read, written });
    }
    options.signal?.throwIfAborted();
    await sink.close();
  } catch (error) {
    await sink.abort();
    throw error;
  }

  const next = changeFields.length > 0 ? tracker.next(sink.description, layoutHash) : undefined;
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
  const result: ExportResult = {
    name: spec.name,
    object: spec.object,
    entity,
    mode: since === undefined ? 'full' : 'incremental',
    fullReason: spec.incremental ? fullReason : undefined,
    read,
    written,
    skipped,
    apiCalls: client.stats().totalCalls - callsBefore,
    destination: sink.description,
    changedUpTo: next ? new Date(next.watermark).toISOString() : undefined,
  };
  logger.info({ ...result }, 'export finished');
  return result;
}

function whyFull(
  spec: ExportSpec,
  options: ExportOptions,
  changeFields: readonly string[],
  previous: ReturnType<typeof parseChangeCursor>,
  destination: string,
  layoutHash: string,
): string | undefined {
  if (!spec.incremental) return 'not incremental';
  if (options.full) return 'full export requested';
  if (changeFields.length === 0) return `${spec.object} records have no change timestamp: always read whole`;
  if (!previous) return 'first export (no bookmark yet)';
  if (previous.destination !== destination) return 'the destination changed since the last export';
  if (previous.columns !== layoutHash) return 'the fields in Autotask changed since the last export';
  if (
    (spec.destination.type === 'csv' || spec.destination.type === 'jsonl') &&
    !existsSync(spec.destination.path)
  )
    return 'the destination file is missing';
  return undefined;
}
