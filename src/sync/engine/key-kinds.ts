/**
 * A dedupe key as the engine uses it: a named kind (the key index is keyed by object + kind + key) and
 * one function that computes it from flat field values. The same function runs on mapped source
 * records and on Autotask records, so the two sides meet.
 *
 * Flat values: Autotask field names → values, UDFs as `udf:Name`, references as resolved ids.
 */
import type { EntityRecord } from '../../autotask/types.js';
import type { KeyDefinition } from '../keys/key-definitions.js';
import { recordKey } from '../keys/record-key.js';

export interface KeyKind {
  /** Index kind, e.g. `name`, `email`, `opportunity`, or `fields:a,b` for a configured key. */
  readonly kind: string;
  /** Autotask fields (or `udf:Name`) the key is computed from. */
  readonly fields: readonly string[];
  /** The normalised key, or undefined when a field it needs is empty. */
  keyOf(values: Readonly<Record<string, unknown>>): string | undefined;
}

/** An Autotask record as flat values: fields, plus each UDF as `udf:Name`. */
export function flattenAutotaskRecord(record: EntityRecord): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (k !== 'userDefinedFields') flat[k] = v;
  for (const udf of record.userDefinedFields ?? []) flat[`udf:${udf.name}`] = udf.value;
  return flat;
}

/** Autotask's own string equality (SQL Server collation): case-insensitive, trailing spaces ignored. */
export function exactNameKey(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).replace(/\s+$/u, '').toLowerCase();
  return text === '' ? undefined : text;
}

/** Index kind holding company names under Autotask's equality, for "exact company name" references. */
export const EXACT_COMPANY_NAME: KeyKind = {
  kind: 'exact-name',
  fields: ['companyName'],
  keyOf: (values) => exactNameKey(values['companyName']),
};

/** Index kind holding contact emails under Autotask's equality, for contact references by email. */
export const EXACT_CONTACT_EMAIL: KeyKind = {
  kind: 'exact-email',
  fields: ['emailAddress'],
  keyOf: (values) => exactNameKey(values['emailAddress']),
};

/** The index kind of a dedupe key definition (src/sync/keys). */
export function keyKindOf(def: KeyDefinition): KeyKind {
  return {
    kind: def.kind,
    fields: def.parts.map((p) => p.field),
    keyOf: (values) => {
      const result = recordKey(def, values);
      return result.ok ? result.key : undefined;
    },
  };
}
