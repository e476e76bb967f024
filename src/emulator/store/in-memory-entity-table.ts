/**
 * The emulator's `EntityTable`: records in a Map by id plus an ascending id array for ordered scans,
 * and equality indexes on selected fields. Ids are normally appended in increasing order (O(1)); an
 * out-of-order insert or a delete costs one binary search and an array splice.
 *
 * The table stores a compact copy of each record it is given (nulls dropped, see compact-record.ts),
 * so `get` returns an equal record, not the same object. Records are immutable values: callers pass a
 * new `StoredRecord` to `replace` instead of mutating one they got from `get`/`scan` (the indexes are
 * keyed on the values seen at insert time; records without UDF values share one frozen `udfs` object).
 */
import type { EntityName } from '../../autotask/types.js';
import type { EntityTable, StoredRecord } from '../contracts.js';
import { AppError } from '../../shared/errors.js';
import { compactRecord } from './compact-record.js';
import { lowerBound, upperBound } from './sorted-ids.js';
import { ValueIndex } from './value-index.js';

export interface EntityTableOptions {
  entity: EntityName;
  /** Fields (exact schema names) to keep equality indexes on. @default [] */
  indexedFields?: readonly string[];
}

/** A table was asked to insert an id it has, or replace one it lacks: a bug in the caller. */
export class EntityTableError extends AppError {
  constructor(message: string, details: { entity: EntityName; id: number }) {
    super('EMULATOR_TABLE_ERROR', message, { details });
  }
}

export class InMemoryEntityTable implements EntityTable {
  readonly entity: EntityName;
  private readonly records = new Map<number, StoredRecord>();
  private readonly ids: number[] = [];
  private readonly indexes = new Map<string, ValueIndex>();
  /** Bumped whenever `ids` shifts (delete, out-of-order insert) so running scans re-seek. */
  private layoutVersion = 0;

  constructor(options: EntityTableOptions) {
    this.entity = options.entity;
    for (const field of options.indexedFields ?? []) this.indexes.set(field, new ValueIndex(field));
  }

  get(id: number): StoredRecord | undefined {
    return this.records.get(id);
  }

  insert(given: StoredRecord): void {
    const record = compactRecord(given);
    const { id } = record;
    if (this.records.has(id)) {
      throw new EntityTableError(`${this.entity} already has a record with id ${id}; use replace().`, {
        entity: this.entity,
        id,
      });
    }
    this.records.set(id, record);
    const last = this.ids[this.ids.length - 1];
    if (last === undefined || id > last) this.ids.push(id);
    else {
      this.ids.splice(lowerBound(this.ids, id), 0, id);
      this.layoutVersion++;
    }
    for (const index of this.indexes.values()) index.add(id, record.values[index.field]);
  }

  replace(given: StoredRecord): void {
    const record = compactRecord(given);
    const previous = this.records.get(record.id);
    if (!previous) {
      throw new EntityTableError(`${this.entity} has no record with id ${record.id} to replace.`, {
        entity: this.entity,
        id: record.id,
      });
    }
    for (const index of this.indexes.values()) {
      const before = previous.values[index.field];
      const after = record.values[index.field];
      if (before !== after) {
        index.remove(record.id, before);
        index.add(record.id, after);
      }
    }
    this.records.set(record.id, record);
  }

  delete(id: number): boolean {
    const previous = this.records.get(id);
    if (!previous) return false;
    this.records.delete(id);
    this.ids.splice(lowerBound(this.ids, id), 1);
    this.layoutVersion++;
    for (const index of this.indexes.values()) index.remove(id, previous.values[index.field]);
    return true;
  }

  size(): number {
    return this.records.size;
  }

  /** The highest id in the table, or `undefined` when it is empty. */
  maxId(): number | undefined {
    return this.ids[this.ids.length - 1];
  }

  /** Fields that have an equality index. */
  indexedFields(): string[] {
    return [...this.indexes.keys()];
  }

  *scan(afterId?: number): Iterable<StoredRecord> {
    let position = afterId === undefined ? 0 : upperBound(this.ids, afterId);
    let version = this.layoutVersion;
    let lastId = afterId;
    while (true) {
      if (version !== this.layoutVersion) {
        // The array shifted under us (a delete or out-of-order insert while scanning): re-seek.
        position = lastId === undefined ? 0 : upperBound(this.ids, lastId);
        version = this.layoutVersion;
      }
      const id = this.ids[position++];
      if (id === undefined) return;
      const record = this.records.get(id);
      if (!record) continue;
      lastId = id;
      yield record;
    }
  }

  lookup(field: string, value: unknown): Iterable<number> | undefined {
    const index = this.indexes.get(field);
    if (!index) return field === 'id' ? (this.records.has(Number(value)) ? [Number(value)] : []) : undefined;
    return index.find(value);
  }
}
