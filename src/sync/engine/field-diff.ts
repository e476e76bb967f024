/**
 * Change detection at field level: which mapped fields a PATCH must send, given what the source wants,
 * what Autotask has now (from the key index, kept current by incremental reads) and what we last
 * wrote (the link). Unmapped fields never appear here, so they are never touched.
 */
import type { Direction } from '../mapping/field-mapping-spec.js';
import { isEmptyValue, sameValue } from './field-values.js';
import type { FieldChange } from './types.js';

export interface UpdateDiffInput {
  /** Mapped values from the source (Autotask field or `udf:Name` → value); defaults excluded. */
  desired: Readonly<Record<string, unknown>>;
  /**
   * Autotask's current values of the mapped fields, when known. A field absent from this object is
   * unknown (the index was built before it was mapped).
   */
  current: Readonly<Record<string, unknown>> | undefined;
  /** Values we last wrote for this record (the link), if any. */
  lastWritten: Readonly<Record<string, unknown>> | undefined;
  /** Direction per field; absent → `source`. */
  directions: Readonly<Record<string, Direction>>;
}

/**
 * The fields to PATCH, each with what Autotask has (`from`) and what we send (`to`):
 * - `source` direction: the source wins; sent when it differs from Autotask's value (or, when that is
 *   unknown, from what we last wrote).
 * - `autotask` direction: Autotask is the system of record; the source only fills the field while it is
 *   empty in Autotask (never when Autotask's value is unknown).
 */
export function diffForUpdate(input: UpdateDiffInput): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const [field, to] of Object.entries(input.desired)) {
    const known = input.current !== undefined && Object.hasOwn(input.current, field);
    const from = known ? input.current?.[field] : input.lastWritten?.[field];
    if ((input.directions[field] ?? 'source') === 'autotask') {
      if (known && isEmptyValue(from) && !isEmptyValue(to)) changes[field] = { from: from ?? null, to };
      continue;
    }
    const reference = known || (input.lastWritten && Object.hasOwn(input.lastWritten, field));
    if (!reference || !sameValue(from, to)) changes[field] = { from: from ?? null, to };
  }
  return changes;
}

/** Every field a create sends (mapped values, then defaults where the mapped value is empty). */
export function diffForCreate(
  desired: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const [field, to] of Object.entries(desired))
    if (!isEmptyValue(to)) changes[field] = { from: null, to };
  for (const [field, to] of Object.entries(defaults))
    if (changes[field] === undefined && !isEmptyValue(to)) changes[field] = { from: null, to };
  return changes;
}
