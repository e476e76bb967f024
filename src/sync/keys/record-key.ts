/**
 * The dedupe key of a record. One function serves both sides: build `KeyValues` from a mapped source
 * record (after references are resolved to ids) or from an Autotask record, then call `recordKey`.
 */
import { parseAutotaskDateTime } from '../../autotask/datetime.js';
import type { EntityRecord } from '../../autotask/types.js';
import type { KeyDefinition, KeyNormaliser } from './key-definitions.js';
import { normaliseEmail, normaliseName, normaliseText } from './normalise.js';

/** Field values a key reads: Autotask field name or `udf:Name` → value. */
export type KeyValues = Readonly<Record<string, unknown>>;

export type RecordKeyResult =
  | { readonly ok: true; readonly key: string }
  | {
      readonly ok: false;
      /** Key fields that are empty (or not normalisable: an invalid date, an id that is not a number). */
      readonly missing: readonly string[];
      readonly reason: string;
    };

/**
 * The key of a record. A one-part key is the normalised value itself (`smith doe inc`); a key of
 * several parts is a JSON array of them (`["renewal","2026-11-15","174",""]`), so parts never run
 * into each other. Empty optional parts are `""`.
 */
export function recordKey(def: KeyDefinition, values: KeyValues): RecordKeyResult {
  const parts: string[] = [];
  const missing: string[] = [];
  for (const part of def.parts) {
    const normalised = normaliseKeyValue(part.normaliser, lookup(values, part.field));
    if (normalised === undefined && !part.optional) missing.push(part.field);
    parts.push(normalised ?? '');
  }
  if (missing.length > 0) {
    return {
      ok: false,
      missing,
      reason: `the key field${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} empty`,
    };
  }
  if (def.atLeastOneOf && def.atLeastOneOf.length > 0) {
    const filled = def.atLeastOneOf.some((f) => parts[def.parts.findIndex((p) => p.field === f)] !== '');
    if (!filled) {
      return {
        ok: false,
        missing: def.atLeastOneOf,
        reason: `the key needs at least one of ${def.atLeastOneOf.join(' or ')}`,
      };
    }
  }
  return { ok: true, key: parts.length === 1 ? (parts[0] ?? '') : JSON.stringify(parts) };
}

/** A key part's normalised value, or `undefined` when empty or not readable as that kind. */
export function normaliseKeyValue(normaliser: KeyNormaliser, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  let out: string | undefined;
  switch (normaliser) {
    case 'name':
      out = normaliseName(keyText(value));
      break;
    case 'email':
      out = normaliseEmail(keyText(value));
      break;
    case 'text':
      out = normaliseText(keyText(value));
      break;
    case 'id': {
      const n =
        typeof value === 'number' ? value : /^\s*\d+\s*$/.test(keyText(value)) ? Number(keyText(value)) : NaN;
      out = Number.isSafeInteger(n) ? String(n) : undefined;
      break;
    }
    case 'date': {
      const ms = value instanceof Date ? value.getTime() : parseAutotaskDateTime(keyText(value));
      out = ms === undefined || Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
      break;
    }
  }
  return out === '' ? undefined : out;
}

/** Key values of an Autotask record: its fields, plus `udf:Name` for each user-defined field. */
export function keyValuesOfAutotaskRecord(record: EntityRecord): KeyValues {
  const values: Record<string, unknown> = { ...record };
  for (const udf of record.userDefinedFields ?? []) values[`udf:${udf.name}`] = udf.value;
  return values;
}

/**
 * Key values of a mapped source record: its fields (defaults included, since a create would send
 * them), `udf:Name` for UDFs, and the ids its references resolved to.
 */
export function keyValuesOfMappedRecord(
  mapped: {
    readonly fields: Readonly<Record<string, unknown>>;
    readonly udfs: Readonly<Record<string, unknown>>;
    readonly defaults?: {
      readonly fields: Readonly<Record<string, unknown>>;
      readonly udfs: Readonly<Record<string, unknown>>;
    };
  },
  resolvedRefs: Readonly<Record<string, number | null | undefined>> = {},
): KeyValues {
  const values: Record<string, unknown> = {};
  const put = (fields: Readonly<Record<string, unknown>>, udfs: Readonly<Record<string, unknown>>): void => {
    Object.assign(values, fields);
    for (const [name, v] of Object.entries(udfs)) values[`udf:${name}`] = v;
  };
  if (mapped.defaults) put(mapped.defaults.fields, mapped.defaults.udfs);
  put(mapped.fields, mapped.udfs);
  for (const [field, id] of Object.entries(resolvedRefs)) if (id !== undefined) values[field] = id;
  return values;
}

/** Field lookup: exact name first, then case-insensitive (UDF names are case-insensitive in Autotask). */
function lookup(values: KeyValues, field: string): unknown {
  if (Object.hasOwn(values, field)) return values[field];
  const lower = field.toLowerCase();
  for (const [k, v] of Object.entries(values)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** A key value as text (numbers in their usual form, dates in ISO-8601 UTC). */
function keyText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? '';
}
