import { createHash } from 'node:crypto';

import { formatAutotaskDateTime, parseAutotaskDateTime } from '../../autotask/datetime.js';
import { or, where } from '../../autotask/query.js';
import type { EntityName, EntityRecord, Filter } from '../../autotask/types.js';

/**
 * Fields that tell when a record last changed, per entity. A record is "changed since T" when any of
 * them is ≥ T. Resources have none: they are always read whole.
 */
export const CHANGE_FIELDS: Readonly<Record<EntityName, readonly string[]>> = {
  Companies: ['lastActivityDate', 'lastTrackedModifiedDateTime'],
  Contacts: ['lastModifiedDate', 'lastActivityDate'],
  Opportunities: ['lastActivity'],
  Resources: [],
};

/**
 * What an incremental export remembers (stored as JSON in the bookmark's value):
 * - `watermark`: the newest change time seen (ms); the next read asks for changes ≥ watermark − overlap;
 * - `boundary`: records seen within the overlap window, id → their change time, so that the overlap
 *   does not export them again unless they changed;
 * - `destination` and `columns`: what was written; if either differs, the next export is full (a new
 *   destination must be filled, a new column must be filled for old records too), except that a table
 *   gains the columns of new UDFs without one (`columnNames` tells which columns are new);
 * - `sinceScan`: incremental exports since the last deletion scan or full read (schedules the next scan);
 * - `knownIds`: records in Autotask at the last full read or scan (estimates what a scan costs);
 * - `labels`: each label column's picklist (value → label), so a relabelled value is rewritten.
 */
export interface ChangeCursor {
  v: 1;
  watermark: number;
  boundary: Record<string, number>;
  destination: string;
  columns: string;
  columnNames?: string[] | undefined;
  sinceScan?: number | undefined;
  knownIds?: number | undefined;
  labels?: Record<string, Record<string, string>> | undefined;
}

/** What the cursor remembers besides the change times. */
export type CursorExtras = Pick<ChangeCursor, 'columnNames' | 'sinceScan' | 'knownIds' | 'labels'>;

/** The latest change time of a record across the entity's change fields, or undefined when none is set. */
export function changeTimeOf(record: EntityRecord, fields: readonly string[]): number | undefined {
  let latest: number | undefined;
  for (const f of fields) {
    const raw = record[f];
    const t = typeof raw === 'string' ? parseAutotaskDateTime(raw) : undefined;
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest;
}

/** The filter for "changed at or after `since`" on `fields`. */
export function changedSinceFilter(fields: readonly string[], since: number): Filter {
  const value = formatAutotaskDateTime(since);
  const conditions = fields.map((f) => where.gte(f, value));
  if (conditions.length === 1) return conditions[0]!;
  return or(...conditions);
}

/** Short hash of the column list, to notice when the layout changed. */
export function columnsHash(columns: readonly { name: string }[]): string {
  return createHash('sha256')
    .update(JSON.stringify(columns.map((c) => c.name)))
    .digest('hex')
    .slice(0, 16);
}

export function parseChangeCursor(value: string | undefined): ChangeCursor | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<ChangeCursor>;
    if (parsed.v !== 1 || typeof parsed.watermark !== 'number') return undefined;
    return {
      v: 1,
      watermark: parsed.watermark,
      boundary: parsed.boundary ?? {},
      destination: parsed.destination ?? '',
      columns: parsed.columns ?? '',
      columnNames: Array.isArray(parsed.columnNames)
        ? parsed.columnNames.filter((c): c is string => typeof c === 'string')
        : undefined,
      sinceScan: typeof parsed.sinceScan === 'number' ? parsed.sinceScan : undefined,
      knownIds: typeof parsed.knownIds === 'number' ? parsed.knownIds : undefined,
      labels:
        typeof parsed.labels === 'object' && parsed.labels !== null && !Array.isArray(parsed.labels)
          ? parsed.labels
          : undefined,
    };
  } catch {
    return undefined;
  }
}

/**
 * Tracks change times during one export and produces the next cursor. `isAlreadyExported` says
 * whether a record in the overlap window was exported, unchanged, by the previous run.
 */
export class ChangeTracker {
  private watermark: number;
  private readonly seen = new Map<number, number>();

  constructor(
    private readonly previous: ChangeCursor | undefined,
    private readonly overlapMs: number,
  ) {
    this.watermark = previous?.watermark ?? Number.NEGATIVE_INFINITY;
  }

  /** Read changes from here (watermark − overlap), or undefined for a full read. */
  since(): number | undefined {
    return this.previous ? this.previous.watermark - this.overlapMs : undefined;
  }

  isAlreadyExported(id: number, changeTime: number | undefined): boolean {
    return changeTime !== undefined && this.previous?.boundary[String(id)] === changeTime;
  }

  observe(id: number, changeTime: number | undefined): void {
    if (changeTime === undefined) return;
    this.seen.set(id, changeTime);
    if (changeTime > this.watermark) this.watermark = changeTime;
  }

  /** The cursor to store once the destination committed; undefined when nothing has a change time. */
  next(destination: string, columns: string, extras: CursorExtras = {}): ChangeCursor | undefined {
    if (!Number.isFinite(this.watermark)) return undefined;
    const floor = this.watermark - this.overlapMs;
    const boundary: Record<string, number> = {};
    for (const [id, t] of Object.entries(this.previous?.boundary ?? {})) if (t >= floor) boundary[id] = t;
    for (const [id, t] of this.seen) if (t >= floor) boundary[String(id)] = t;
    const cursor: ChangeCursor = { v: 1, watermark: this.watermark, boundary, destination, columns };
    if (extras.columnNames !== undefined) cursor.columnNames = extras.columnNames;
    if (extras.sinceScan !== undefined) cursor.sinceScan = extras.sinceScan;
    if (extras.knownIds !== undefined) cursor.knownIds = extras.knownIds;
    if (extras.labels !== undefined) cursor.labels = extras.labels;
    return cursor;
  }
}
