/**
 * The Autotask key index of one object, kept in the state store: every Autotask record's dedupe keys
 * and the current values of the fields the configuration maps. It is filled by one paged scan (with
 * `IncludeFields`, so pages stay small) and then kept current by incremental reads of the records
 * created or changed since a watermark. Matching source records against it costs no calls.
 *
 * An index record's `version` is JSON `{ t, v }`: `t` the newest change timestamp Autotask reported
 * for the record, `v` the tracked field values (UDFs as `udf:Name`).
 */
import { createHash } from 'node:crypto';

import type { EntityRecord, Filter } from '../../autotask/types.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { IndexEntry, IndexRecordInput, StateStore } from '../../state/state-store.js';
import { stableJson } from './field-values.js';
import { flattenAutotaskRecord, type KeyKind } from './key-kinds.js';
import type { ObjectModel } from './object-model.js';
import type { EngineClient } from './ports.js';

/** Bookmark under which the index's definition (kinds + tracked fields) is remembered. */
const SIGNATURE_BOOKMARK = 'engine:key-index';
/** Index records written per state-store call during a scan. */
const BATCH = 500;

export interface KeyIndexSpec {
  model: ObjectModel;
  /**
   * Field whose values can be looked up with batched `in` queries instead of a full scan (contacts:
   * `emailAddress`), when every key kind of the index is that field's value. Undefined: always scan.
   */
  lookupField?: string;
  /** Every key kind the configuration needs for this object (dedupe keys and reference lookups). */
  kinds: readonly KeyKind[];
  /** Fields whose current Autotask values are kept (mapped targets, key fields), UDFs as `udf:Name`. */
  trackedFields: readonly string[];
}

export interface KeyIndexDeps {
  client: EngineClient;
  state: StateStore;
  clock: Clock;
  logger: Logger;
}

/**
 * Tenants with more records than this (of an object that allows it) are not scanned on the first run:
 * the keys a run needs are looked up with batched `in` queries instead, if that costs fewer calls.
 */
export const LOOKUP_MODE_THRESHOLD = 5_000;

export interface RefreshResult {
  mode: 'full' | 'incremental' | 'lookup';
  /** Autotask records read. */
  records: number;
}

/** What the index knows about one Autotask record. */
export interface IndexedValues {
  /** Newest change timestamp seen, if any. */
  changedAt: string | null;
  /** Tracked values (only fields present were known when indexed). */
  values: Record<string, unknown>;
}

export class AutotaskKeyIndex {
  readonly signature: string;
  private readonly includeFields: string[];

  constructor(
    private readonly deps: KeyIndexDeps,
    readonly spec: KeyIndexSpec,
    /** Subtracted from the watermark on incremental reads. */
    private readonly overlapMs: number,
  ) {
    const fields = new Set<string>();
    for (const f of spec.trackedFields) fields.add(f);
    for (const kind of spec.kinds) for (const f of kind.fields) fields.add(f);
    const tracked = [...fields].sort();
    this.includeFields = [
      'id',
      ...tracked.map((f) => (f.startsWith('udf:') ? f.slice(4) : f)),
      ...spec.model.changeFields,
    ];
    this.trackedSet = tracked;
    this.signature = createHash('sha256')
      .update(stableJson({ kinds: spec.kinds.map((k) => k.kind).sort(), tracked }))
      .digest('base64url')
      .slice(0, 16);
  }

  private readonly trackedSet: readonly string[];

  get object(): string {
    return this.spec.model.object;
  }

  private complete: boolean | undefined;

  /** True once a full scan has completed under the current definition (cached; refresh updates it). */
  isComplete(): boolean {
    this.complete ??=
      this.deps.state.getIndexCursor(this.object) !== undefined && this.storedSignature() === this.signature;
    return this.complete;
  }

  private storedSignature(): string | undefined {
    return this.deps.state.getBookmark(SIGNATURE_BOOKMARK, this.object)?.value;
  }

  /**
   * Brings the index up to date: a full scan the first time (or when the definition changed), an
   * incremental read since the watermark otherwise.
   */
  async refresh(signal?: AbortSignal, options: { allowLookup?: boolean } = {}): Promise<RefreshResult> {
    this.complete = undefined;
    this.empty = undefined;
    const cursor = this.deps.state.getIndexCursor(this.object);
    if (cursor !== undefined && this.storedSignature() === this.signature)
      return this.incremental(cursor.value, signal);
    if (options.allowLookup === true && this.spec.lookupField !== undefined) {
      // A large tenant and (probably) a few keys: count first (one call), decide after the key pass.
      this.tenantSize = await this.deps.client
        .entity(this.spec.model.entity)
        .count([{ op: 'gte', field: 'id', value: 0 }]);
      if (this.tenantSize > LOOKUP_MODE_THRESHOLD) {
        this.lookupMode = true;
        return { mode: 'lookup', records: 0 };
      }
    }
    return this.fullScan(signal);
  }

  /** Records of the object in Autotask, when counted (lookup mode). */
  private tenantSize = 0;
  private lookupMode = false;

  private lookedUp = false;

  /** False in lookup mode until the run's keys were looked up: matching must wait until then. */
  isReadyForMatching(): boolean {
    return !this.lookupMode || this.lookedUp;
  }

  /** True while the index is filled by lookups of the keys a run needs, not by a full scan. */
  isLookupMode(): boolean {
    return this.lookupMode;
  }

  /**
   * In lookup mode: makes sure the index knows every Autotask record with one of these keys, with
   * batched `in` queries (≤ 500 values each) — or with a full scan when that is cheaper.
   */
  async lookupKeys(keys: readonly string[], signal?: AbortSignal): Promise<RefreshResult> {
    const field = this.spec.lookupField;
    if (!this.lookupMode || field === undefined) return { mode: 'incremental', records: 0 };
    this.empty = undefined;
    if (Math.ceil(keys.length / 500) >= Math.ceil(this.tenantSize / 500)) {
      this.lookupMode = false;
      this.complete = undefined;
      return this.fullScan(signal);
    }
    this.lookedUp = true;
    if (keys.length === 0) return { mode: 'lookup', records: 0 };
    const found = await this.deps.client.findByValues(this.spec.model.entity, field, keys, {
      includeFields: this.includeFields,
    });
    const batch: IndexRecordInput[] = [];
    const seen = new Set<number>();
    for (const records of found.values())
      for (const record of records) {
        if (seen.has(record.id)) continue;
        seen.add(record.id);
        batch.push(this.toIndexRecord(record, this.changedAt(record)));
      }
    this.deps.state.transaction(() => this.deps.state.putIndexRecords(this.object, batch));
    return { mode: 'lookup', records: batch.length };
  }

  private async fullScan(signal?: AbortSignal): Promise<RefreshResult> {
    const { state, clock } = this.deps;
    const startedAt = clock.now();
    state.clearIndex(this.object);
    const filter: Filter[] = [{ op: 'gte', field: 'id', value: 0 }];
    const watermark = await this.read(filter, signal);
    state.transaction(() => {
      state.setIndexCursor(this.object, {
        field: this.spec.model.changeFields.join('|') || 'id',
        // No timestamps seen: an empty tenant ('' → the next refresh scans again, cheaply) or records
        // without them (then our own clock marks the scan).
        value: watermark.max ?? (watermark.records > 0 ? new Date(startedAt).toISOString() : ''),
        fullScanAt: startedAt,
      });
      state.setBookmark({
        name: SIGNATURE_BOOKMARK,
        stream: this.object,
        field: 'signature',
        value: this.signature,
      });
    });
    this.deps.logger.debug({ object: this.object, records: watermark.records }, 'key index: full scan');
    return { mode: 'full', records: watermark.records };
  }

  private async incremental(since: string, signal?: AbortSignal): Promise<RefreshResult> {
    const { state } = this.deps;
    const changeFields = this.spec.model.changeFields;
    if (changeFields.length === 0 || since === '') return this.fullScan(signal);
    const from = new Date(Date.parse(since) - this.overlapMs).toISOString();
    const filter: Filter[] =
      changeFields.length === 1
        ? [{ op: 'gte', field: changeFields[0] ?? 'id', value: from }]
        : [{ op: 'or', items: changeFields.map((field): Filter => ({ op: 'gte', field, value: from })) }];
    const watermark = await this.read(filter, signal);
    if (watermark.max !== undefined && Date.parse(watermark.max) > Date.parse(since)) {
      const cursor = state.getIndexCursor(this.object);
      state.setIndexCursor(this.object, {
        field: cursor?.field ?? changeFields.join('|'),
        value: watermark.max,
      });
    }
    return { mode: 'incremental', records: watermark.records };
  }

  /** Reads every record matching `filter` into the index; returns the newest change timestamp seen. */
  private async read(
    filter: Filter[],
    signal?: AbortSignal,
  ): Promise<{ max: string | undefined; records: number }> {
    const api = this.deps.client.entity(this.spec.model.entity);
    let max: string | undefined;
    let maxMs = -Infinity;
    let records = 0;
    let batch: IndexRecordInput[] = [];
    const flush = (): void => {
      if (batch.length === 0) return;
      const toWrite = batch;
      batch = [];
      this.deps.state.transaction(() => this.deps.state.putIndexRecords(this.object, toWrite));
    };
    for await (const page of api.queryPages({ filter, includeFields: this.includeFields })) {
      for (const record of page.items) {
        records++;
        const changedAt = this.changedAt(record);
        if (changedAt !== null) {
          const ms = Date.parse(changedAt);
          if (ms > maxMs) {
            maxMs = ms;
            max = changedAt;
          }
        }
        batch.push(this.toIndexRecord(record, changedAt));
      }
      if (batch.length >= BATCH) flush();
      signal?.throwIfAborted();
    }
    flush();
    return { max, records };
  }

  private changedAt(record: EntityRecord): string | null {
    let best: string | null = null;
    let bestMs = -Infinity;
    for (const field of this.spec.model.changeFields) {
      const value = record[field];
      if (typeof value !== 'string') continue;
      const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`);
      if (!Number.isNaN(ms) && ms > bestMs) {
        bestMs = ms;
        best = new Date(ms).toISOString();
      }
    }
    return best;
  }

  private toIndexRecord(record: EntityRecord, changedAt: string | null): IndexRecordInput {
    const flat = flattenAutotaskRecord(record);
    return this.indexRecordOf(record.id, flat, changedAt);
  }

  private indexRecordOf(
    autotaskId: number,
    flat: Readonly<Record<string, unknown>>,
    changedAt: string | null,
  ): IndexRecordInput {
    const values: Record<string, unknown> = {};
    for (const field of this.trackedSet) if (Object.hasOwn(flat, field)) values[field] = flat[field] ?? null;
    const keys = [];
    for (const kind of this.spec.kinds) {
      const key = kind.keyOf(flat);
      if (key !== undefined) keys.push({ kind: kind.kind, key });
    }
    return { autotaskId, version: JSON.stringify({ t: changedAt, v: values }), keys };
  }

  /**
   * Records what we just wrote, so later lookups in this run see it before the next read confirms it.
   * `values` are flat values after the write (for an update, merge them with what was known first).
   * Call inside the checkpoint transaction.
   */
  remember(autotaskId: number, values: Readonly<Record<string, unknown>>): void {
    this.empty = false;
    const known = this.get(autotaskId);
    const merged = { ...(known?.values ?? {}), ...values };
    this.deps.state.putIndexRecords(this.object, [
      this.indexRecordOf(autotaskId, merged, known?.changedAt ?? null),
    ]);
  }

  /** Forgets a record (it no longer exists in Autotask). */
  forget(autotaskId: number): void {
    this.deps.state.removeIndexRecords(this.object, [autotaskId]);
  }

  /**
   * Known to hold no record (counted once, then kept current by our own writes): lookups are skipped.
   * A tenant with none of the object yet, e.g. an initial load, costs no index query per chunk.
   */
  private empty: boolean | undefined;

  lookup(kind: string, keys: readonly string[]): Map<string, IndexEntry[]> {
    this.empty ??= this.deps.state.countIndexRecords(this.object) === 0;
    if (this.empty) return new Map();
    return this.deps.state.lookupIndex(this.object, kind, keys);
  }

  get(autotaskId: number): IndexedValues | undefined {
    const record = this.deps.state.getIndexRecord(this.object, autotaskId);
    if (record === undefined) return undefined;
    return parseVersion(record.version);
  }
}

/** Decodes an index record's version (see the module comment). */
export function parseVersion(version: string | null): IndexedValues {
  if (version === null || !version.startsWith('{')) return { changedAt: null, values: {} };
  try {
    const parsed = JSON.parse(version) as { t?: string | null; v?: Record<string, unknown> };
    return { changedAt: parsed.t ?? null, values: parsed.v ?? {} };
  } catch {
    return { changedAt: null, values: {} };
  }
}
