/**
 * A two-way sync's fields checked against Autotask's metadata and the other two-way syncs: each
 * field's data type, its effective systems, read-only systems (Autotask's read-only fields are never
 * written there) and rule, and the sync a `ref` points at. `udf:Name` names a user-defined field
 * (matched to the entity's UDF definitions case-insensitively). Datetimes with date-only meaning
 * (an opportunity's `projectedCloseDate`, date UDFs) get the data type `date`: compared as dates.
 */
import type { FieldInformation, UserDefinedFieldInformation } from '../../autotask/types.js';
import { ConfigError } from '../../shared/errors.js';
import { DATE_ONLY_FIELDS } from '../mapping/product-rules.js';
import { DATE_ONLY } from './canonical-value.js';
import type { FieldPolicy } from './field-rule.js';
import type { TwoWaySpec, TwoWaySystem } from './two-way-spec.js';

export interface CompiledField {
  /** Autotask field name, or `udf:Name` for a user-defined field. */
  field: string;
  /** The UDF's name as Autotask defines it, when the field is a user-defined field. */
  udf?: string | undefined;
  column: string;
  dataType: string | undefined;
  policy: FieldPolicy;
  /** The column holds keys of this two-way sync's table; the Autotask field holds its record ids. */
  ref?: { sync: string; object: string } | undefined;
  /** The column holds picklist labels: label ↔ value (`Picklist.valueOf` / `labelOf`), set by the caller. */
  labels?: boolean | undefined;
}

export function compileFields(
  spec: TwoWaySpec,
  index: number,
  metadata: readonly FieldInformation[],
  earlier: readonly TwoWaySpec[],
  udfs: readonly UserDefinedFieldInformation[] = [],
): CompiledField[] {
  const byName = new Map(metadata.map((f) => [f.name.toLowerCase(), f]));
  const udfByName = new Map(udfs.map((u) => [u.name.trim().toLowerCase(), u]));
  const dateOnly = new Set((DATE_ONLY_FIELDS[spec.object] ?? []).map((f) => f.toLowerCase()));
  const issues: { path: string; message: string }[] = [];
  const compiled: CompiledField[] = [];
  for (const [field, raw] of Object.entries(spec.fields)) {
    const path = `twoWay[${index}].fields.${field}`;
    const isUdf = field.toLowerCase().startsWith('udf:');
    const udf = isUdf ? udfByName.get(field.slice(4).trim().toLowerCase()) : undefined;
    const info = isUdf ? (udf ? udfInfo(udf) : undefined) : byName.get(field.toLowerCase());
    if (!info) {
      issues.push({
        path,
        message: isUdf
          ? `${spec.object} has no user-defined field "${field.slice(4)}" in Autotask` +
            (udfs.length > 0 ? ` (its UDFs: ${udfs.map((u) => u.name).join(', ')})` : ' (it has no UDFs)')
          : `${spec.object} has no field "${field}" in Autotask (see \`describe\`; a user-defined field is \`udf:Name\`)`,
      });
      continue;
    }
    const entry = typeof raw === 'string' ? { column: raw } : raw;
    const readOnly = new Set<TwoWaySystem>(entry.readOnly ?? []);
    if (info.isReadOnly) readOnly.add('autotask');
    let ref: CompiledField['ref'];
    const labels = typeof raw === 'string' ? false : raw.labels === true;
    if (labels && !info.isPickList)
      issues.push({ path: `${path}.labels`, message: `${info.name} is not a picklist: remove \`labels\`` });
    if (entry.ref !== undefined) {
      const target = earlier.find((s) => s.name === entry.ref);
      if (!target)
        issues.push({
          path: `${path}.ref`,
          message: `"${entry.ref}" is not a two-way sync listed before "${spec.name}": list the referenced table's sync first`,
        });
      else ref = { sync: target.name, object: target.object };
    }
    if (udf && entry.ref !== undefined)
      issues.push({
        path: `${path}.ref`,
        message: 'a user-defined field cannot hold a reference: remove `ref`',
      });
    const dataType =
      info.dataType === 'date' || dateOnly.has(info.name.toLowerCase()) ? DATE_ONLY : info.dataType;
    compiled.push({
      field: udf ? `udf:${udf.name}` : info.name,
      ...(udf ? { udf: udf.name } : {}),
      column: entry.column,
      dataType: ref ? 'integer' : dataType,
      policy: { systems: entry.systems ?? spec.systems, readOnly, rule: entry.rule ?? spec.rule },
      ref,
      labels,
    });
  }
  if (issues.length > 0)
    throw new ConfigError(`two-way sync "${spec.name}" has ${issues.length} problem(s)`, issues);
  return compiled;
}

/** The parts of a UDF definition a field needs, in the shape of a field's metadata. */
function udfInfo(
  udf: UserDefinedFieldInformation,
): Pick<FieldInformation, 'name' | 'dataType' | 'isReadOnly' | 'isPickList'> {
  return { name: udf.name, dataType: udf.type, isReadOnly: udf.isReadOnly, isPickList: udf.isPickList };
}
