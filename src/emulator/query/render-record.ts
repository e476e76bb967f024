/**
 * Renders stored records for the wire (API doc §3.3, §4.6, §6.6): every schema field with explicit
 * nulls, then `userDefinedFields` listing every defined UDF (`null` when unset; `[]` when the entity has
 * none). With IncludeFields, only `id`, the named fields and the named UDFs appear; `userDefinedFields`
 * is always present (empty when no UDF was named), as in the doc's apigrate example (§14 item 13).
 */
import type { EntityRecord, FieldInformation, UserDefinedFieldInformation } from '../../autotask/types.js';
import type { EntitySchema, StoredRecord } from '../contracts.js';
import { findField, findUdf } from '../metadata/field-lookup.js';
import { QUERY_MESSAGES, queryError } from './query-errors.js';

export type RecordRenderer = (record: StoredRecord) => EntityRecord;

/** Renders one record with every field and every UDF. */
export function renderRecord(
  schema: EntitySchema,
  udfs: readonly UserDefinedFieldInformation[],
  record: StoredRecord,
): EntityRecord {
  return createRenderer(schema, udfs)(record);
}

/**
 * A renderer for a query's results. `includeFields` (names in any case; UDF names allowed) must name
 * fields or UDFs of the entity, else `Unable to find {name} in the {Singular} Entity.`; the literal
 * `userDefinedFields` includes every UDF.
 */
export function createRenderer(
  schema: EntitySchema,
  udfs: readonly UserDefinedFieldInformation[],
  includeFields?: readonly string[],
): RecordRenderer {
  let fields: readonly FieldInformation[] = schema.fields;
  let udfNames: readonly string[] = udfs.map((u) => u.name);
  if (includeFields && includeFields.length > 0) {
    const wantedFields = new Set<string>(['id']);
    const wantedUdfs = new Set<string>();
    for (const name of includeFields) {
      const field = findField(schema, name);
      if (field) {
        wantedFields.add(field.name);
        continue;
      }
      if (name.toLowerCase() === 'userdefinedfields') {
        for (const u of udfs) wantedUdfs.add(u.name);
        continue;
      }
      const udf = findUdf(udfs, name);
      if (!udf) throw queryError(QUERY_MESSAGES.unknownField(name, schema.singular));
      wantedUdfs.add(udf.name);
    }
    fields = schema.fields.filter((f) => wantedFields.has(f.name));
    udfNames = udfs.filter((u) => wantedUdfs.has(u.name)).map((u) => u.name);
  }
  // Each rendered record starts as a spread of this template (all keys, in order, null), which is much
  // faster than adding ~60 properties one by one; then only the record's non-null values are copied.
  const template: Record<string, unknown> = Object.fromEntries([
    ...fields.map((f) => [f.name, null] as const),
    ['userDefinedFields', null] as const,
  ]);
  const includesId = Object.hasOwn(template, 'id');
  return (record) => {
    const out: Record<string, unknown> = { ...template };
    const values = record.values;
    for (const name in values) {
      if (name !== 'userDefinedFields' && Object.hasOwn(template, name)) out[name] = values[name] ?? null;
    }
    if (includesId) out['id'] = record.id;
    const udfValues = record.udfs;
    out['userDefinedFields'] = udfNames.map((name) => ({ name, value: udfValues[name] ?? null }));
    return out as EntityRecord;
  };
}
