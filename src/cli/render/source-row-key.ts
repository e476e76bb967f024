/**
 * The dedupe key of a ledger row the engine stopped before keying (an invalid row: a bad phone on a
 * company keyed by name), computed from the row as written for `show` to display. Only keys whose
 * every part comes straight from a column or a constant can be computed this way: a part that is a
 * reference (an Autotask id found by name), a template or a transformed value is left to the engine.
 */
import type { SyncSpec } from '../../config/types.js';
import { keyDefinition, recordKey } from '../../sync/keys/index.js';
import type { FieldMappingSpec } from '../../sync/mapping/field-mapping-spec.js';

/** Transforms that cannot change a normalised key (normalising trims, folds case and spaces). */
const KEY_NEUTRAL_TRANSFORMS: ReadonlySet<string> = new Set(['trim', 'lower', 'upper', 'collapse-spaces']);

/** The mapping of `field` in `fields` (Autotask names are case-insensitive). */
function mappingOf(
  fields: Readonly<Record<string, FieldMappingSpec>>,
  field: string,
): FieldMappingSpec | undefined {
  if (Object.hasOwn(fields, field)) return fields[field];
  const lower = field.toLowerCase();
  const name = Object.keys(fields).find((k) => k.toLowerCase() === lower);
  return name === undefined ? undefined : fields[name];
}

type PartValue = { ok: true; value: unknown } | { ok: false };

/** A key part's value from the row, when its mapping is a plain column or a constant. */
function partValue(mapping: FieldMappingSpec | undefined, row: Readonly<Record<string, unknown>>): PartValue {
  if (mapping === undefined) return { ok: true, value: undefined };
  if (typeof mapping === 'string') return { ok: true, value: row[mapping] };
  if (mapping.ref !== undefined || mapping.template !== undefined) return { ok: false };
  const transforms = mapping.transform ?? [];
  if (!transforms.every((t) => KEY_NEUTRAL_TRANSFORMS.has(typeof t === 'string' ? t : t.type)))
    return { ok: false };
  let value: unknown = mapping.value !== undefined ? mapping.value : undefined;
  if (mapping.column !== undefined) value = row[mapping.column];
  const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  if (empty && mapping.default !== undefined) value = mapping.default;
  return { ok: true, value };
}

/**
 * The key `sync` would give `row`, normalised as the ledger stores keys; undefined when a part cannot
 * be computed from the row alone or is empty.
 */
export function keyFromSourceRow(
  sync: Pick<SyncSpec, 'object' | 'key' | 'fields'>,
  row: Readonly<Record<string, unknown>> | null,
): string | undefined {
  if (row === null) return undefined;
  const def = keyDefinition(sync.object, sync.key);
  const values: Record<string, unknown> = {};
  for (const part of def.parts) {
    const got = partValue(mappingOf(sync.fields, part.field), row);
    if (!got.ok) return undefined;
    if (got.value !== undefined) values[part.field] = got.value;
  }
  const key = recordKey(def, values);
  return key.ok ? key.key : undefined;
}
