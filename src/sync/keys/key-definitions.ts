/**
 * Dedupe keys per object (product.md §3), and keys configured per sync (`key: [field, ...]`).
 * A key is a list of parts; each part reads one Autotask field (or `udf:Name`) and normalises it.
 */
import type { ExportableObject } from '../../config/objects.js';

/** How a key part's value is normalised. */
export type KeyNormaliser =
  /** Company name / title: letters, digits and spaces only, case-insensitive (normalise.ts). */
  | 'name'
  /** Email: trimmed, lower-cased. */
  | 'email'
  /** Date part (UTC) of a datetime: `YYYY-MM-DD`. */
  | 'date'
  /** An Autotask id or other whole number. */
  | 'id'
  /** Any other value: NFKC, case-folded, whitespace collapsed. */
  | 'text';

export interface KeyPart {
  /** Autotask field name or `udf:Name`. */
  readonly field: string;
  readonly normaliser: KeyNormaliser;
  /** The part may be empty (see `KeyDefinition.atLeastOneOf`). */
  readonly optional: boolean;
}

export interface KeyDefinition {
  /**
   * Stable name of the key, used as the kind in the state store's key index: `name`, `email`,
   * `opportunity`, or `fields:<field>,<field>` for a configured key.
   */
  readonly kind: string;
  readonly parts: readonly KeyPart[];
  /** Of these optional parts, at least one must have a value (opportunity: company or contact). */
  readonly atLeastOneOf?: readonly string[];
}

/** The default key of each object (product.md §3). */
export const DEFAULT_KEYS: Readonly<Record<ExportableObject, KeyDefinition>> = {
  Company: { kind: 'name', parts: [{ field: 'companyName', normaliser: 'name', optional: false }] },
  Contact: { kind: 'email', parts: [{ field: 'emailAddress', normaliser: 'email', optional: false }] },
  Resource: { kind: 'email', parts: [{ field: 'email', normaliser: 'email', optional: false }] },
  Opportunity: {
    kind: 'opportunity',
    parts: [
      { field: 'title', normaliser: 'name', optional: false },
      { field: 'projectedCloseDate', normaliser: 'date', optional: false },
      { field: 'companyID', normaliser: 'id', optional: true },
      { field: 'contactID', normaliser: 'id', optional: true },
    ],
    atLeastOneOf: ['companyID', 'contactID'],
  },
};

/** Metadata type of a field, enough to choose a normaliser for a configured key. */
export interface KeyFieldType {
  readonly name: string;
  readonly dataType: string;
  readonly isReference?: boolean;
}

/**
 * The key of a sync: the object's default, or the configured fields. A configured field's normaliser
 * follows what it holds: names (`companyName`, `title`) → `name`; email fields → `email`; datetimes →
 * `date`; references and whole numbers → `id`; anything else (and UDFs, which are text on the wire,
 * unless `types` has a `udf:Name` entry with a date type) → `text`.
 */
export function keyDefinition(
  object: ExportableObject,
  fields?: readonly string[],
  types: readonly KeyFieldType[] = [],
): KeyDefinition {
  if (fields === undefined || fields.length === 0) return DEFAULT_KEYS[object];
  const byName = new Map(types.map((t) => [t.name.toLowerCase(), t]));
  return {
    kind: `fields:${fields.join(',')}`,
    parts: fields.map((field) => ({
      field,
      normaliser: normaliserFor(field, byName.get(field.toLowerCase())),
      optional: false,
    })),
  };
}

function normaliserFor(field: string, type: KeyFieldType | undefined): KeyNormaliser {
  if (field.toLowerCase().startsWith('udf:')) {
    // UDF values are text on the wire; only a typed entry (`udf:Name` in `types`) changes that.
    if (type?.dataType === 'datetime' || type?.dataType === 'date') return 'date';
    return 'text';
  }
  if (/^(companyName|title|name)$/i.test(field)) return 'name';
  if (/^e-?mail(address)?\d?$/i.test(field)) return 'email';
  if (type?.dataType === 'datetime' || type?.dataType === 'date') return 'date';
  if (type?.isReference === true || /^(short|integer|long)$/.test(type?.dataType ?? '') || /ID$/.test(field))
    return 'id';
  return 'text';
}
