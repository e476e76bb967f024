/**
 * Applies a compiled mapping to one source row: reads each column (or constant, or template), runs the
 * transforms, converts to the field's wire type, and sorts the result into fields, UDFs, references and
 * create-only defaults. Never throws for bad data: every problem is a `RecordIssue` naming the field,
 * the column and the value, with the fix.
 */
import { parseRefRequest } from './ref-request.js';
import { renderTemplate } from './template.js';
import { TransformError } from './transform-error.js';
import type {
  CompiledFieldMapping,
  CompiledMapping,
  MappedRecord,
  MappedValues,
  RecordIssue,
  RefRequest,
  WireValue,
} from './types.js';
import { CLEAR, isEmpty, shorten } from './values.js';
import { toUdfWireValue, toWireValue } from './wire-value.js';

export function mapRecord(compiled: CompiledMapping, row: Readonly<Record<string, unknown>>): MappedRecord {
  const out: MappedValues = { fields: {}, udfs: {}, refs: {} };
  const defaults: MappedValues = { fields: {}, udfs: {}, refs: {} };
  const issues: RecordIssue[] = [];
  const createIssues: RecordIssue[] = [];

  for (const f of compiled.fields) {
    const column = f.source.kind === 'column' ? f.source.column : undefined;
    let raw: unknown;
    let value: unknown;
    try {
      raw = readSource(f, row);
      value = raw;
      for (const t of f.transforms) value = t.apply(value);
      if (value === CLEAR || (f.source.kind === 'value' && f.source.value === null)) {
        put(out, f, null);
        continue;
      }
      if (isEmpty(value)) {
        if (f.default !== undefined) put(defaults, f, f.default);
        else if (f.requiredOnCreate) createIssues.push(requiredIssue(f, column));
        continue;
      }
      put(out, f, convert(f, value));
    } catch (err) {
      if (!(err instanceof TransformError)) throw err;
      issues.push({
        code: err.issueCode,
        target: f.target,
        ...(column === undefined ? {} : { column }),
        value: shorten(raw),
        message: issueMessage(f, err.message),
        fix: err.fix,
      });
    }
  }
  checkDependentPicklists(compiled, out, defaults, issues);
  return { ...out, defaults, issues, createIssues };
}

/**
 * A dependent picklist value (e.g. a sub-type) must belong to the parent field's value when both are
 * in the record. When the parent is not mapped, Autotask's current value decides (checked there).
 */
function checkDependentPicklists(
  compiled: CompiledMapping,
  out: MappedValues,
  defaults: MappedValues,
  issues: RecordIssue[],
): void {
  for (const f of compiled.fields) {
    const parentField = f.type.parentField;
    if (parentField === undefined || f.kind !== 'field') continue;
    const own = out.fields[f.name] ?? defaults.fields[f.name];
    const parent = out.fields[parentField] ?? defaults.fields[parentField];
    if (own === undefined || own === null || parent === undefined || parent === null) continue;
    const entry = f.type.picklist?.find((e) => e.value === String(own));
    if (!entry?.parentValue || entry.parentValue === String(parent)) continue;
    const allowed = (f.type.picklist ?? []).filter(
      (e) => e.isActive && (!e.parentValue || e.parentValue === String(parent)),
    );
    issues.push({
      code: 'PICKLIST_PARENT_MISMATCH',
      target: f.target,
      ...(f.source.kind === 'column' ? { column: f.source.column } : {}),
      value: shorten(entry.label),
      message: `${f.target}${describeSource(f)}: "${entry.label}" (${entry.value}) belongs to ${parentField} ${entry.parentValue}, but the record's ${parentField} is ${String(parent)}`,
      fix: allowed.length
        ? `use a ${f.target} of ${parentField} ${String(parent)}: ${allowed.map((e) => `${e.label} (${e.value})`).join(', ')}`
        : `change ${parentField}, or the ${f.target} value`,
    });
  }
}

function readSource(f: CompiledFieldMapping, row: Readonly<Record<string, unknown>>): unknown {
  switch (f.source.kind) {
    case 'column':
      return row[f.source.column];
    case 'value':
      return f.source.value;
    case 'template':
      return renderTemplate(f.source, row);
    case 'none':
      return undefined;
  }
}

function convert(f: CompiledFieldMapping, value: unknown): WireValue | RefRequest {
  if (f.ref !== undefined) return parseRefRequest(f.ref, value, f.target);
  if (f.kind === 'udf') return toUdfWireValue(f.type, value, f.target);
  return toWireValue(f.type, value, f.target);
}

function put(into: MappedValues, f: CompiledFieldMapping, value: WireValue | RefRequest): void {
  if (f.ref !== undefined) into.refs[f.name] = value as RefRequest | null;
  else if (f.kind === 'udf') into.udfs[f.name] = value === null ? null : (value as string);
  else into.fields[f.name] = value as WireValue;
}

function describeSource(f: CompiledFieldMapping): string {
  switch (f.source.kind) {
    case 'column':
      return ` (column "${f.source.column}")`;
    case 'template':
      return ` (template of ${f.source.columns.map((c) => `"${c}"`).join(', ')})`;
    case 'value':
      return ' (constant value)';
    case 'none':
      return '';
  }
}

/**
 * `amount (column "Betrag") takes a number; got "12.500,00"`: the field is named once, with its source,
 * when the transform's message starts with it; otherwise `field (source): message`.
 */
function issueMessage(f: CompiledFieldMapping, message: string): string {
  return message.startsWith(`${f.target} `)
    ? `${f.target}${describeSource(f)}${message.slice(f.target.length)}`
    : `${f.target}${describeSource(f)}: ${message}`;
}

/** The source of a mapping as the subject of a sentence: `column "Phone"`. */
function sourceNoun(f: CompiledFieldMapping): string {
  switch (f.source.kind) {
    case 'column':
      return `column "${f.source.column}"`;
    case 'template':
      return `the template of ${f.source.columns.map((c) => `"${c}"`).join(', ')}`;
    case 'value':
      return 'its constant value';
    case 'none':
      return 'its source';
  }
}

function requiredIssue(f: CompiledFieldMapping, column: string | undefined): RecordIssue {
  return {
    code: 'REQUIRED_EMPTY',
    target: f.target,
    ...(column === undefined ? {} : { column }),
    value: '',
    message: `${f.target} is required to create the record, but ${sourceNoun(f)} is empty and there is no default`,
    fix: `fill it in the source, or give \`${f.target}\` a default in the mapping`,
  };
}
