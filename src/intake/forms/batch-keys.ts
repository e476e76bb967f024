/**
 * Dedupe keys of queued submissions, computed before a batch is formed, so that two submissions
 * for one record (two people of one company, one person submitting twice) go to different batches
 * in arrival order instead of meeting in one run, where the engine would hold the later one back as a
 * duplicate of the source. Approximate by design: a reference is keyed by what the submission says
 * (the company name), not by the Autotask id it resolves to; the engine still catches what this misses.
 */
import type { EntityName } from '../../autotask/types.js';
import { recordKey } from '../../sync/keys/record-key.js';
import { OBJECT_MODELS } from '../../sync/engine/object-model.js';
import type { EngineClient } from '../../sync/engine/ports.js';
import { compileSyncProgram, type SyncProgram } from '../../sync/engine/sync-program.js';
import type { EntityMetadata } from '../../sync/mapping/types.js';
import type { FormIntakeSpec } from '../intake-config-schema.js';
import type { IntakeItem } from '../queue/intake-queue.js';
import { intakeSyncs } from './form-batch.js';

export type KeysOf = (item: IntakeItem) => string[];

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
    const keys: string[] = [];
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
        if (key.ok) keys.push(`${program.name}\u0000${key.key}`);
      } catch {
        // mapping problems are the engine's to report
      }
    }
    return keys;
  };
}

/**
 * Picks, in arrival order, the items that can share one run: an item whose key another picked item
 * already has waits for the next batch, and so does every later item with one of its keys (order
 * per record is kept).
 */
export function pickBatch(
  items: readonly IntakeItem[],
  keysOf: KeysOf,
): { batch: IntakeItem[]; later: IntakeItem[] } {
  const taken = new Set<string>();
  const blocked = new Set<string>();
  const batch: IntakeItem[] = [];
  const later: IntakeItem[] = [];
  for (const item of items) {
    const keys = keysOf(item);
    if (keys.some((k) => taken.has(k) || blocked.has(k))) {
      later.push(item);
      for (const k of keys) blocked.add(k);
      continue;
    }
    batch.push(item);
    for (const k of keys) taken.add(k);
  }
  return { batch, later };
}
