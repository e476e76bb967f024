/**
 * From a mapped record to the flat values the engine compares, keys and sends: Autotask fields, UDFs
 * as `udf:Name`, references as ids. Also the wire payload (`userDefinedFields` array) of a write.
 */
import type { MappedRecord, MappedValues, RefRequest } from '../mapping/types.js';
import type { EngineContext } from './engine-context.js';
import { OBJECT_MODELS } from './object-model.js';
import type { SyncProgram } from './sync-program.js';

/** A reference that points at a record of this run not yet written. */
export interface PendingRef {
  field: string;
  /** The reference came from a default (applies on create only). */
  inDefaults: boolean;
  sync: string;
  key: string;
  label: string;
}

export interface ResolvedRecord {
  /** Mapped values (no defaults) with references as ids; pending ones as placeholder ids. */
  values: Record<string, unknown>;
  /** Defaults (create only), likewise. */
  defaults: Record<string, unknown>;
  pending: readonly PendingRef[];
  /** The first reference that could not be resolved. */
  error?: { field: string; message: string; fix: string };
}

function flatten(values: MappedValues): Record<string, unknown> {
  const flat: Record<string, unknown> = { ...values.fields };
  for (const [name, value] of Object.entries(values.udfs)) flat[`udf:${name}`] = value;
  return flat;
}

/** Shared by every record without pending references or defaults (never written to). */
const NO_PENDING: readonly PendingRef[] = Object.freeze([]);
const NO_DEFAULTS: Record<string, unknown> = Object.freeze({});

function isEmptyMapping(values: MappedValues): boolean {
  for (const _ in values.fields) return false;
  for (const _ in values.udfs) return false;
  for (const _ in values.refs) return false;
  return true;
}

/** Resolves a mapped record's references (locally: indexes, same-run records, resources). */
export function resolveRecord(
  ctx: EngineContext,
  program: SyncProgram,
  mapped: MappedRecord,
): ResolvedRecord {
  const out: ResolvedRecord = {
    values: flatten(mapped),
    defaults: isEmptyMapping(mapped.defaults) ? NO_DEFAULTS : flatten(mapped.defaults),
    pending: NO_PENDING,
  };
  applyRefs(ctx, program, out, mapped.refs, out.values, false);
  applyRefs(ctx, program, out, mapped.defaults.refs, out.defaults, true);
  return out;
}

/** Puts the ids of `refs` into `target` (placeholders for same-run records, noted in `out.pending`). */
function applyRefs(
  ctx: EngineContext,
  program: SyncProgram,
  out: ResolvedRecord,
  refs: Readonly<Record<string, RefRequest | null>>,
  target: Record<string, unknown>,
  inDefaults: boolean,
): void {
  for (const field in refs) {
    if (out.error !== undefined) return;
    const ref = refs[field];
    if (ref === undefined) continue;
    if (ref === null) {
      target[field] = null;
      continue;
    }
    const resolver = ctx.resolver;
    if (resolver === undefined) throw new Error('references resolved before the resolver was built');
    const refStage = ref.entity === 'Resource' ? -1 : OBJECT_MODELS[ref.entity].stage;
    const resolution = resolver.resolve(ref, refStage < program.model.stage);
    if (resolution.kind === 'error') {
      out.error = { field, message: resolution.message, fix: resolution.fix };
      return;
    }
    if (resolution.kind === 'id') {
      target[field] = resolution.id;
      continue;
    }
    target[field] = ctx.deferred.declare(resolution.sync, resolution.key, resolution.label);
    out.pending = [
      ...out.pending,
      { field, inDefaults, sync: resolution.sync, key: resolution.key, label: resolution.label },
    ];
  }
}

/**
 * Values a key is computed from (only `fields`, to keep the per-record work small): the mapped value,
 * else the default (a create would send it). Field names match case-insensitively as a fallback.
 */
export function keyValues(resolved: ResolvedRecord, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (Object.hasOwn(resolved.values, field) && resolved.values[field] !== undefined)
      out[field] = resolved.values[field];
    else if (Object.hasOwn(resolved.defaults, field)) out[field] = resolved.defaults[field];
    else {
      const lower = field.toLowerCase();
      for (const source of [resolved.defaults, resolved.values])
        for (const [k, v] of Object.entries(source))
          if (k.toLowerCase() === lower && v !== undefined) out[field] = v;
    }
  }
  return out;
}

/** The body of a create or PATCH: fields, and UDFs in `userDefinedFields`. */
export function toWirePayload(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const udfs: { name: string; value: string | null }[] = [];
  for (const [field, value] of Object.entries(values)) {
    if (field.startsWith('udf:'))
      udfs.push({
        name: field.slice(4),
        value: udfText(value),
      });
    else body[field] = value;
  }
  if (udfs.length > 0) body['userDefinedFields'] = udfs;
  return body;
}

/** UDF values travel as text. */
function udfText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}
