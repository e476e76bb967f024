/**
 * A two-way sync's fields checked against Autotask's metadata and the other two-way syncs: each
 * field's data type, its effective systems, read-only systems (Autotask's read-only fields are never
 * written there) and rule, and the sync a `ref` points at.
 */
import type { FieldInformation } from '../../autotask/types.js';
import { ConfigError } from '../../shared/errors.js';
import type { FieldPolicy } from './field-rule.js';
import type { TwoWaySpec, TwoWaySystem } from './two-way-spec.js';

export interface CompiledField {
  /** Autotask field name. */
  field: string;
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
): CompiledField[] {
  const byName = new Map(metadata.map((f) => [f.name.toLowerCase(), f]));
  const issues: { path: string; message: string }[] = [];
  const compiled: CompiledField[] = [];
  for (const [field, raw] of Object.entries(spec.fields)) {
    const path = `twoWay[${index}].fields.${field}`;
    const info = byName.get(field.toLowerCase());
    if (!info) {
      issues.push({ path, message: `${spec.object} has no field "${field}" in Autotask (see \`describe\`)` });
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
    compiled.push({
      field: info.name,
      column: entry.column,
      dataType: ref ? 'integer' : info.dataType,
      policy: { systems: entry.systems ?? spec.systems, readOnly, rule: entry.rule ?? spec.rule },
      ref,
      labels,
    });
  }
  if (issues.length > 0)
    throw new ConfigError(`two-way sync "${spec.name}" has ${issues.length} problem(s)`, issues);
  return compiled;
}
