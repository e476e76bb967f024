/**
 * Dedupe keys of queued submissions, computed before a batch is formed, so that two submissions for
 * one record never meet in one run as two rows (the engine would hold the later one back as a
 * duplicate of the source):
 * - the same record with the same values (two people of one company, the company written alike) is
 *   written once: the later submission shares the earlier one's outcome for that record;
 * - the same record with other values (a person submitting again with a new phone) waits for the next
 *   batch, so that changes apply in arrival order.
 * Approximate by design: a reference is keyed by what the submission says (the company name), not by
 * the Autotask id it resolves to; the engine still catches what this misses.
 */
import { createHash } from 'node:crypto';

import type { EntityName } from '../../autotask/types.js';
import { stableJson } from '../../sync/engine/field-values.js';
import { recordKey } from '../../sync/keys/record-key.js';
import { OBJECT_MODELS } from '../../sync/engine/object-model.js';
import type { EngineClient } from '../../sync/engine/ports.js';
import { compileSyncProgram, type SyncProgram } from '../../sync/engine/sync-program.js';
import type { EntityMetadata } from '../../sync/mapping/types.js';
import type { FormIntakeSpec } from '../intake-config-schema.js';
import type { IntakeItem } from '../queue/intake-queue.js';
import { intakeSyncs } from './form-batch.js';

/** One record a submission makes: its stream, dedupe key and a hash of the values it writes. */
export interface RecordKey {
  stream: string;
  key: string;
  hash: string;
}

export type KeysOf = (item: IntakeItem) => RecordKey[];

/** Per stream: submission id → the earlier submission of the batch whose identical record it shares. */
export type SharedRecords = Map<string, Map<number, number>>;

/** Compiles the intake's record streams against live (cached) metadata; returns a key function. */
export async function compileBatchKeys(client: EngineClient, spec: FormIntakeSpec): Promise<KeysOf> {
  const programs: SyncProgram[] = [];
  const metadata = new Map<EntityName, EntityMetadata>();
  for (const [i, sync] of intakeSyncs(spec).entries()) {
    const entity = OBJECT_MODELS[sync.object].entity;
    let meta = metadata.get(entity);
    if (meta === undefined) {
      const [fields, udfs] = await Promise.all([
        client.metadata.fields(entity),
        client.metadata.udfs(entity),
      ]);
      meta = { fields, udfs };
      metadata.set(entity, meta);
    }
    const compiled = compileSyncProgram(sync, i, meta);
    // A stream that does not compile fails the run itself, with the config error; no key from it.
    if (compiled.ok) programs.push(compiled.program);
  }
  return (item) => {
    const keys: RecordKey[] = [];
    for (const program of programs) {
      try {
        if (!program.accepts(item.body)) continue;
        const mapped = program.map(item.body);
        if (mapped.issues.length > 0) continue;
        const values: Record<string, unknown> = { ...mapped.defaults.fields, ...mapped.fields };
        for (const [name, value] of Object.entries({ ...mapped.defaults.udfs, ...mapped.udfs }))
          values[`udf:${name}`] = value;
        for (const [field, ref] of Object.entries(mapped.refs)) values[field] = JSON.stringify(ref);
        const key = recordKey(program.keyDef, values);
        if (key.ok)
          keys.push({
            stream: program.name,
            key: key.key,
            hash: createHash('sha256').update(stableJson(mapped)).digest('base64'),
          });
      } catch {
        // mapping problems are the engine's to report
      }
    }
    return keys;
  };
}

/**
 * Picks, in arrival order, the items that can share one run. An item with a record another picked item
 * already makes with the same values shares it; with other values, the item waits for the next batch,
 * and so does every later item with one of its keys (order per record is kept).
 */
export function pickBatch(
  items: readonly IntakeItem[],
  keysOf: KeysOf,
): { batch: IntakeItem[]; later: IntakeItem[]; shared: SharedRecords } {
  const taken = new Map<string, { hash: string; item: number }>();
  const blocked = new Set<string>();
  const batch: IntakeItem[] = [];
  const later: IntakeItem[] = [];
  const shared: SharedRecords = new Map();
  for (const item of items) {
    const keys = keysOf(item).map((k) => ({ ...k, id: `${k.stream}\u0000${k.key}` }));
    const clash = keys.some((k) => blocked.has(k.id) || (taken.get(k.id)?.hash ?? k.hash) !== k.hash);
    if (clash) {
      later.push(item);
      for (const k of keys) blocked.add(k.id);
      continue;
    }
    batch.push(item);
    for (const k of keys) {
      const first = taken.get(k.id);
      if (first === undefined) taken.set(k.id, { hash: k.hash, item: item.id });
      else {
        let streamShares = shared.get(k.stream);
        if (streamShares === undefined) shared.set(k.stream, (streamShares = new Map<number, number>()));
        streamShares.set(item.id, first.item);
      }
    }
  }
  return { batch, later, shared };
}
