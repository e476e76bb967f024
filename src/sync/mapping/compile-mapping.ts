/**
 * Checks a sync's field mappings against live Autotask metadata and compiles them for `mapRecord`.
 * Every problem is a finding with the path of the setting and the fix; errors stop the sync from
 * running, warnings are shown by `check`. Checked: unknown fields and UDFs (with the closest names),
 * read-only fields, references to the wrong kind of record, templates, transforms, constants and
 * defaults that are not valid picklist values (with the valid labels), required fields that no mapping
 * can ever fill (Autotask's metadata plus the product's rules), and key fields that are not mapped.
 */
import type { FieldInformation, UserDefinedFieldInformation } from '../../autotask/types.js';
import {
  RESOURCE_READ_ONLY_MESSAGE,
  type ExportableObject,
  type WritableObject,
} from '../../config/objects.js';
import { ConfigError } from '../../shared/errors.js';
import { keyDefinition } from '../keys/key-definitions.js';
import { closestNames, didYouMean } from './closest-names.js';
import { childPath } from './config-path.js';
import { isEmailFieldName } from './email-address.js';
import {
  UDF_PREFIX,
  type Direction,
  type FieldMappingObject,
  type FieldMappingsSpec,
  type RefEntity,
} from './field-mapping-spec.js';
import { describeValidLabels, exampleEntry } from './picklist.js';
import {
  DATE_ONLY_FIELDS,
  EXAMPLE_DEFAULTS,
  IMPLICIT_DEFAULTS,
  PRODUCT_REQUIRED_FIELDS,
} from './product-rules.js';
import { parseRefRequest } from './ref-request.js';
import { parseTemplate } from './template.js';
import { TransformError } from './transform-error.js';
import { compileTransform } from './transforms.js';
import type {
  CompiledFieldMapping,
  CompiledMapping,
  CompiledSource,
  CompiledTransform,
  EntityMetadata,
  MappingFinding,
  RefRequest,
  TargetType,
  WireValue,
} from './types.js';
import { toUdfWireValue, toWireValue } from './wire-value.js';

/** Write modes of a sync. */
export type WriteMode = 'create' | 'update' | 'upsert';

export interface CompileOptions {
  /**
   * Write mode of the sync. With `update` nothing is ever created, so required fields need not be
   * mapped and defaults are never used.
   * @default 'upsert'
   */
  readonly mode?: WriteMode;
  /**
   * Path of the sync in the configuration, prefixed to every finding's path (e.g. `syncs[0]`).
   * @default '' (paths start at `fields`)
   */
  readonly path?: string;
  /**
   * The sync's configured key fields (`key:`). They must be mapped.
   * @default the object's default key (product.md §3)
   */
  readonly key?: readonly string[];
}

export type CompileResult =
  | { readonly ok: true; readonly mapping: CompiledMapping; readonly findings: readonly MappingFinding[] }
  | { readonly ok: false; readonly findings: readonly MappingFinding[] };

/** Compiles the mapping, or returns the findings (at least one error) that prevent it. */
export function compileMapping(
  object: ExportableObject,
  spec: FieldMappingsSpec,
  metadata: EntityMetadata,
  options: CompileOptions = {},
): CompileResult {
  const { fields, findings } = analyse(object, spec, metadata, options);
  if (findings.some((f) => f.severity === 'error')) return { ok: false, findings };
  const columns = new Set<string>();
  for (const f of fields) {
    if (f.source.kind === 'column') columns.add(f.source.column);
    if (f.source.kind === 'template') f.source.columns.forEach((c) => columns.add(c));
  }
  const mapping: CompiledMapping = {
    object,
    fields,
    columns: [...columns],
    autotaskOwned: new Set(fields.filter((f) => f.direction === 'autotask').map((f) => f.target)),
    warnings: findings,
  };
  return { ok: true, mapping, findings };
}

/** Every finding (errors and warnings) for `autotask-sync check`. */
export function lintMapping(
  object: ExportableObject,
  spec: FieldMappingsSpec,
  metadata: EntityMetadata,
  options: CompileOptions = {},
): MappingFinding[] {
  return analyse(object, spec, metadata, options).findings;
}

/** A `ConfigError` carrying the error findings (for refusing to run). */
export function mappingConfigError(
  findings: readonly MappingFinding[],
  what = 'The field mappings',
): ConfigError {
  const errors = findings.filter((f) => f.severity === 'error');
  const issues = errors.map((f) => ({ path: f.path, message: `${f.message}: ${f.fix}` }));
  const first = issues[0];
  return new ConfigError(
    `${what} cannot be used (${errors.length} problem${errors.length === 1 ? '' : 's'})${first ? `; first: ${first.path}: ${first.message}` : ''}`,
    issues,
  );
}

// ─────────────────────────────────────────────────────────────────────────────────────────────────

interface Analysis {
  fields: CompiledFieldMapping[];
  findings: MappingFinding[];
}

function analyse(
  object: ExportableObject,
  spec: FieldMappingsSpec,
  metadata: EntityMetadata,
  options: CompileOptions,
): Analysis {
  const mode = options.mode ?? 'upsert';
  const base = options.path ?? '';
  const fieldsPath = childPath(base, 'fields');
  const findings: MappingFinding[] = [];
  const error = (code: string, path: string, message: string, fix: string): void => {
    findings.push({ severity: 'error', code, path, message, fix });
  };
  const warn = (code: string, path: string, message: string, fix: string): void => {
    findings.push({ severity: 'warning', code, path, message, fix });
  };
  if (object === 'Resource') {
    error(
      'OBJECT_READ_ONLY',
      childPath(base, 'object'),
      RESOURCE_READ_ONLY_MESSAGE,
      'sync Company, Contact or Opportunity instead; export Resources with `exports:`',
    );
    return { fields: [], findings };
  }
  const fieldByName = new Map(metadata.fields.map((f) => [f.name.toLowerCase(), f]));
  const udfByName = new Map(metadata.udfs.map((u) => [u.name.toLowerCase(), u]));
  const productRequired = new Map(
    PRODUCT_REQUIRED_FIELDS[object].map((r) => [r.field.toLowerCase(), r.reason]),
  );
  const seen = new Map<string, string>();
  const compiled: CompiledFieldMapping[] = [];

  for (const [targetKey, raw] of Object.entries(spec)) {
    const path = childPath(fieldsPath, targetKey);
    const m: FieldMappingObject = typeof raw === 'string' ? { column: raw } : raw;
    const isUdf = targetKey.toLowerCase().startsWith(UDF_PREFIX);
    let target: string;
    let name: string;
    let type: TargetType;
    let requiredOnCreate = false;
    let referenceEntity: string | undefined;
    if (isUdf) {
      const udfName = targetKey.slice(UDF_PREFIX.length).trim();
      const udf = udfByName.get(udfName.toLowerCase());
      if (!udf) {
        const field = fieldByName.get(udfName.toLowerCase());
        const near = closestNames(
          udfName,
          metadata.udfs.map((u) => u.name),
        );
        error(
          'UNKNOWN_UDF',
          path,
          `"${udfName}" is not a user-defined field of ${object} in this Autotask tenant`,
          field
            ? `${field.name} is a standard field: write \`${field.name}:\` without "udf:"`
            : `${didYouMean(near.map((n) => UDF_PREFIX + n)) || `known UDFs: ${listNames(metadata.udfs.map((u) => u.name))}`} (names as in Autotask, case-insensitive)`,
        );
        continue;
      }
      if (udf.isReadOnly) {
        error('READ_ONLY', path, `the UDF "${udf.name}" is read-only in Autotask`, 'remove this mapping');
        continue;
      }
      name = udf.name;
      target = UDF_PREFIX + udf.name;
      type = udfType(udf);
    } else {
      const field = fieldByName.get(targetKey.toLowerCase());
      if (!field) {
        const udf = udfByName.get(targetKey.toLowerCase());
        const near = closestNames(
          targetKey,
          metadata.fields.filter((f) => !f.isReadOnly).map((f) => f.name),
        );
        error(
          'UNKNOWN_FIELD',
          path,
          `"${targetKey}" is not a ${object} field`,
          udf
            ? `"${udf.name}" is a user-defined field: write \`udf:${udf.name}:\``
            : didYouMean(near) ||
                'use a field name from Autotask (camelCase, e.g. companyName), or `udf:Name` for a UDF',
        );
        continue;
      }
      if (field.isReadOnly || field.name === 'id') {
        error(
          'READ_ONLY',
          path,
          `${field.name} is read-only: Autotask sets it itself`,
          field.name === 'id'
            ? 'remove it; to match existing records, list the identifying fields under `key:`'
            : 'remove this mapping (it can be exported, not written)',
        );
        continue;
      }
      name = field.name;
      target = field.name;
      type = fieldType(object, field);
      requiredOnCreate = field.isRequired || productRequired.has(field.name.toLowerCase());
      referenceEntity = field.isReference ? field.referenceEntityType : undefined;
    }
    const previous = seen.get(target.toLowerCase());
    if (previous !== undefined) {
      error(
        'DUPLICATE_TARGET',
        path,
        `${target} is mapped twice (also as "${previous}")`,
        'keep one of the two mappings',
      );
      continue;
    }
    seen.set(target.toLowerCase(), targetKey);

    const ref = m.ref;
    if (ref !== undefined) {
      if (isUdf) {
        error(
          'REF_ON_UDF',
          childPath(path, 'ref'),
          `${target} is a UDF; Autotask does not support reference UDFs through the API`,
          'remove `ref:` and map the value itself',
        );
        continue;
      }
      if (referenceEntity === undefined) {
        error(
          'REF_NOT_REFERENCE',
          childPath(path, 'ref'),
          `${target} is not a reference field, so it cannot take \`ref: ${ref}\``,
          'remove `ref:`, or map the reference field instead (e.g. companyID, contactID, ownerResourceID)',
        );
        continue;
      }
      const expected = canonicalEntity(referenceEntity);
      if (expected !== undefined && expected !== ref) {
        error(
          'REF_WRONG_ENTITY',
          childPath(path, 'ref'),
          `${target} refers to a ${expected}, not a ${ref}`,
          `write \`ref: ${expected}\``,
        );
        continue;
      }
    }

    // Where the value comes from.
    let source: CompiledSource = { kind: 'none' };
    if (m.column !== undefined) source = { kind: 'column', column: m.column };
    else if (m.template !== undefined) {
      const parsed = parseTemplate(m.template);
      if ('error' in parsed) {
        error(
          'TEMPLATE_INVALID',
          childPath(path, 'template'),
          `the template is not valid: ${parsed.error}`,
          'write columns as {Column Name}; {{ and }} for literal braces',
        );
        continue;
      }
      source = { kind: 'template', parts: parsed.parts, columns: parsed.columns };
    } else if (m.value !== undefined) {
      const converted = convertConstant(m.value, type, target, ref);
      if ('error' in converted) {
        error(converted.code, childPath(path, 'value'), converted.error, converted.fix);
        continue;
      }
      // A constant reference is kept as text and parsed per record (it yields a RefRequest there).
      source = {
        kind: 'value',
        value: m.value === null ? null : ref !== undefined ? m.value : (converted.value as WireValue),
      };
    }

    if (
      ref === undefined &&
      type.reference !== undefined &&
      (source.kind === 'column' || source.kind === 'template')
    ) {
      warn(
        'REFERENCE_WITHOUT_REF',
        path,
        `${target} points at a ${type.reference} but has no \`ref:\`, so its values must be Autotask ids`,
        `add \`ref: ${type.reference}\` to accept ${type.reference === 'Company' ? 'ids and exact company names' : 'ids and email addresses'}`,
      );
    }

    // Transforms.
    const transforms: CompiledTransform[] = [];
    let transformsOk = true;
    (m.transform ?? []).forEach((t, i) => {
      const tPath = childPath(childPath(path, 'transform'), i);
      const c = compileTransform(t, { targetLength: type.length });
      if ('error' in c) {
        error('TRANSFORM_INVALID', tPath, c.error, 'correct this transform step');
        transformsOk = false;
        return;
      }
      transforms.push(c);
      const tname = typeof t === 'string' ? t : t.type;
      if (tname === 'truncate' && type.dataType !== 'string') {
        warn(
          'TRUNCATE_NOT_TEXT',
          tPath,
          `${target} is not a text field (${type.dataType}); truncate only cuts text`,
          'remove the truncate step',
        );
      }
      if (
        typeof t !== 'string' &&
        t.type === 'date' &&
        type.dateOnly &&
        t.timeZone !== undefined &&
        t.timeZone !== 'UTC'
      ) {
        warn(
          'TIMEZONE_NOT_APPLIED',
          tPath,
          `${target} is a date-only field: the date is kept as written and ${t.timeZone} does not shift it`,
          'nothing to do if that is what you want; otherwise map a datetime field',
        );
      }
      if (
        typeof t !== 'string' &&
        t.type === 'map' &&
        type.picklist &&
        i === (m.transform?.length ?? 0) - 1 &&
        ref === undefined
      ) {
        const outputs = Object.entries(t.values).map(([k, v]) => ({
          where: childPath(childPath(tPath, 'values'), k),
          v,
        }));
        if (t.otherwise !== undefined) outputs.push({ where: childPath(tPath, 'otherwise'), v: t.otherwise });
        for (const { where, v } of outputs) {
          if (v === null) continue;
          const c2 = convertConstant(v, type, target, undefined);
          if ('error' in c2) error(c2.code, where, c2.error, c2.fix);
        }
      }
    });
    if (!transformsOk) continue;

    // Default (create only).
    let defaultValue: WireValue | RefRequest | undefined;
    if (m.default !== undefined) {
      const converted = convertConstant(m.default, type, target, ref);
      if ('error' in converted) {
        error(converted.code, childPath(path, 'default'), converted.error, converted.fix);
        continue;
      }
      defaultValue = converted.value;
      if (mode === 'update') {
        warn(
          'DEFAULT_UNUSED',
          childPath(path, 'default'),
          `defaults apply only when a record is created, and this sync only updates`,
          'remove the default, or use `mode: upsert`',
        );
      }
    }
    const direction: Direction = m.direction ?? 'source';
    compiled.push({
      target,
      kind: isUdf ? 'udf' : 'field',
      name,
      path,
      source,
      transforms,
      ...(defaultValue === undefined ? {} : { default: defaultValue }),
      ...(ref === undefined ? {} : { ref }),
      direction,
      type,
      requiredOnCreate,
      implicit: false,
    });
  }

  // Product defaults for fields left unmapped (Contact isActive = 1).
  for (const [fieldName, value] of Object.entries(IMPLICIT_DEFAULTS[object])) {
    if (seen.has(fieldName.toLowerCase())) continue;
    const field = fieldByName.get(fieldName.toLowerCase());
    const type: TargetType = field
      ? fieldType(object, field)
      : { dataType: 'integer', length: 0, dateOnly: false, email: false };
    compiled.push({
      target: field?.name ?? fieldName,
      kind: 'field',
      name: field?.name ?? fieldName,
      path: childPath(fieldsPath, fieldName),
      source: { kind: 'none' },
      transforms: [],
      default: value,
      direction: 'source',
      type,
      requiredOnCreate: true,
      implicit: true,
    });
    seen.set(fieldName.toLowerCase(), fieldName);
  }

  // Required fields that nothing can ever fill.
  if (mode !== 'update') {
    const required = new Map<string, { name: string; byAutotask: boolean; reason?: string }>();
    for (const f of metadata.fields) {
      if (f.isRequired && !f.isReadOnly && f.name !== 'id')
        required.set(f.name.toLowerCase(), { name: f.name, byAutotask: true });
    }
    for (const r of PRODUCT_REQUIRED_FIELDS[object]) {
      const k = r.field.toLowerCase();
      if (!required.has(k))
        required.set(k, { name: fieldByName.get(k)?.name ?? r.field, byAutotask: false, reason: r.reason });
    }
    const byTarget = new Map(compiled.map((c) => [c.target.toLowerCase(), c]));
    for (const [k, r] of required) {
      const c = byTarget.get(k);
      if (c && (c.source.kind !== 'none' || c.default !== undefined)) continue;
      if (seen.has(k)) continue; // mapped, but its mapping had an error (already reported)
      {
        const field = fieldByName.get(k);
        error(
          'REQUIRED_UNSATISFIABLE',
          childPath(fieldsPath, r.name),
          r.byAutotask
            ? `${r.name} is required by Autotask`
            : `${r.name} is required by autotask-sync (${r.reason ?? 'product rule'})`,
          requiredFix(object, r.name, field),
        );
      }
    }
  }

  // Key fields must be mapped from the source (a default alone would give every record one key).
  const keyDef = keyDefinition(object, options.key, metadata.fields);
  const bySource = new Set(
    compiled.filter((c) => c.source.kind !== 'none').map((c) => c.target.toLowerCase()),
  );
  options.key?.forEach((k, i) => {
    const isUdf = k.toLowerCase().startsWith(UDF_PREFIX);
    const known = isUdf
      ? udfByName.has(k.slice(UDF_PREFIX.length).trim().toLowerCase())
      : fieldByName.has(k.toLowerCase());
    if (!known) {
      const near = closestNames(k, [
        ...metadata.fields.map((f) => f.name),
        ...metadata.udfs.map((u) => UDF_PREFIX + u.name),
      ]);
      error(
        'KEY_UNKNOWN_FIELD',
        childPath(childPath(base, 'key'), i),
        `"${k}" is not a ${object} field or UDF`,
        didYouMean(near) || 'list Autotask field names, or udf:Name',
      );
    }
  });
  for (const part of keyDef.parts) {
    if (part.optional) continue;
    const k = part.field.toLowerCase();
    if (
      !bySource.has(k) &&
      (!options.key || fieldByName.has(k) || udfByName.has(k.slice(UDF_PREFIX.length)))
    ) {
      error(
        'KEY_FIELD_UNMAPPED',
        options.key ? childPath(base, 'key') : childPath(fieldsPath, part.field),
        `${part.field} is part of the dedupe key of ${object} but is not mapped from the source`,
        `map ${part.field} to a source column, so each record can be matched to Autotask`,
      );
    }
  }
  if (keyDef.atLeastOneOf && !keyDef.atLeastOneOf.some((f) => bySource.has(f.toLowerCase()))) {
    error(
      'KEY_FIELD_UNMAPPED',
      fieldsPath,
      `the ${object} dedupe key needs ${keyDef.atLeastOneOf.join(' or ')} mapped from the source`,
      `map ${keyDef.atLeastOneOf.join(' and/or ')} (e.g. \`companyID: { column: Company, ref: Company }\`)`,
    );
  }
  return { fields: compiled, findings };
}

function fieldType(object: string, f: FieldInformation): TargetType {
  return {
    dataType: f.dataType,
    length: f.dataType === 'string' ? f.length : 0,
    ...(f.isPickList && f.picklistValues ? { picklist: f.picklistValues } : {}),
    ...(f.isPickList && f.picklistParentValueField ? { parentField: f.picklistParentValueField } : {}),
    ...(f.isReference && canonicalEntity(f.referenceEntityType) !== undefined
      ? { reference: canonicalEntity(f.referenceEntityType) as RefEntity }
      : {}),
    dateOnly: f.dataType === 'date' || (DATE_ONLY_FIELDS[object] ?? []).includes(f.name),
    email: f.dataType === 'string' && isEmailFieldName(f.name),
  };
}

function udfType(u: UserDefinedFieldInformation): TargetType {
  return {
    dataType: u.type,
    length: u.type === 'string' ? u.length : 0,
    ...(u.isPickList && u.picklistValues ? { picklist: u.picklistValues } : {}),
    dateOnly: u.type === 'date',
    email: false,
  };
}

/** `Resources` / `Resource` / `Account` → the entity a `ref` names, when it is one we resolve. */
function canonicalEntity(referenceEntityType: string): RefEntity | undefined {
  const t = referenceEntityType.toLowerCase();
  if (t === '') return undefined;
  if (t === 'company' || t === 'companies' || t === 'account' || t === 'accounts') return 'Company';
  if (t === 'contact' || t === 'contacts') return 'Contact';
  if (t === 'resource' || t === 'resources') return 'Resource';
  return undefined;
}

type Converted = { value: WireValue | RefRequest } | { error: string; fix: string; code: string };

function convertConstant(
  value: string | number | boolean | null,
  type: TargetType,
  target: string,
  ref: RefEntity | undefined,
): Converted {
  if (value === null) return { value: null };
  try {
    if (ref !== undefined) return { value: parseRefRequest(ref, value, target) };
    if (target.startsWith(UDF_PREFIX)) return { value: toUdfWireValue(type, value, target) };
    return { value: toWireValue(type, value, target) };
  } catch (err) {
    if (err instanceof TransformError) return { error: err.message, fix: err.fix, code: err.issueCode };
    throw err;
  }
}

function requiredFix(object: WritableObject, name: string, field: FieldInformation | undefined): string {
  const lead = 'map it or give a default, e.g.';
  const preferred = EXAMPLE_DEFAULTS[object]?.[name];
  if (field?.isPickList && field.picklistValues) {
    const ex = exampleEntry(field.picklistValues, preferred);
    if (ex) {
      return `${lead} \`default: ${ex.label}\` (${ex.value}); valid values: ${describeValidLabels(field.picklistValues, 10)}`;
    }
  }
  if (field?.isReference || /ID$/.test(name)) {
    const entity =
      canonicalEntity(field?.referenceEntityType ?? '') ??
      (name.toLowerCase().includes('resource')
        ? 'Resource'
        : name.toLowerCase().includes('contact')
          ? 'Contact'
          : 'Company');
    const by = entity === 'Company' ? 'id or exact name' : 'id or email';
    return `map it to a source column with \`{ column: <column>, ref: ${entity} }\` (${by}), or give a default ${entity.toLowerCase()} id, e.g. \`default: 29682885\``;
  }
  if (preferred !== undefined) return `${lead} \`default: ${preferred}\``;
  switch (field?.dataType) {
    case 'boolean':
      return `${lead} \`default: false\``;
    case 'integer':
    case 'short':
    case 'long':
    case 'double':
    case 'decimal':
      return `${lead} \`default: 0\``;
    case 'datetime':
    case 'date':
      return `map it to a date column, e.g. \`{ column: <column>, transform: [{ type: date, format: YYYY-MM-DD }] }\``;
    default:
      return `map it to a source column, e.g. \`${name}: <column>\`, or give a default`;
  }
}

function listNames(names: readonly string[], max = 15): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, max).map((n) => `"${n}"`);
  return names.length > max ? `${shown.join(', ')} and ${names.length - max} more` : shown.join(', ');
}
