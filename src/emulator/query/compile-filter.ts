/**
 * Turns a filter tree into a record predicate, validating it against the entity's schema and UDFs.
 *
 * Semantics (API doc §4.3, emulator choices for what the doc leaves open, §14 item 6):
 * - operator names, field names and JSON keys are matched in any case;
 * - strings compare case-insensitively; `eq`, `noteq`, `in`, `notIn` and the ordered operators ignore
 *   trailing spaces (SQL Server padding); `beginsWith`/`endsWith`/`contains` do not;
 * - numbers compare numerically; a value that is not numeric (e.g. "abc") against a numeric field makes
 *   the condition match nothing (for `in`/`notIn`: if any element is not numeric); against a `long`
 *   field (`id`) any string does, even "123" ("Autotask returns 0 results for string values against
 *   Long fields", §4.3), while an `integer` field compares a numeric string as a number;
 * - booleans accept true/false/1/0 and "true"/"false"/"1"/"0"; anything else is an error;
 * - datetimes compare as UTC instants; a value that is not a date is an error;
 * - null field values satisfy only `notExist` (SQL semantics: `noteq`/`notIn` do not match nulls);
 *   `exist` is "not null", so an empty string exists;
 * - at most one UDF condition (`udf: true`) in the whole tree;
 * - 'OR' conditions are counted over the whole tree: every item of an `or` group counts one, except
 *   that `in`/`notIn` conditions count their number of values wherever they appear (top level, `and`
 *   or `or`); more than 500 is an error.
 */
import type { FieldInformation, UserDefinedFieldInformation } from '../../autotask/types.js';
import type { EntitySchema, StoredRecord } from '../contracts.js';
import { findField, findUdf } from '../metadata/field-lookup.js';
import { foldString } from '../store/autotask-equality.js';
import { getKey, isPlainObject } from './case-insensitive-keys.js';
import { QUERY_MESSAGES, queryError } from './query-errors.js';
import type { ValueKind } from './value-kinds.js';
import { kindOf, parseBoolean, parseNumber, readAs, textOf } from './value-kinds.js';
import { parseUtcDateTime } from './parse-utc-datetime.js';

export const MAX_OR_CONDITIONS = 500;
export const MAX_UDF_CONDITIONS = 1;

export type RecordPredicate = (record: StoredRecord) => boolean;

/** A top-level `eq`/`in` on a schema field: candidates for an index lookup. */
export interface IndexableCondition {
  /** Exact schema field name (`id` included). */
  field: string;
  /** Coerced values (strings as sent, numbers for numeric fields). */
  values: (string | number)[];
}

export interface CompiledFilter {
  test: RecordPredicate;
  /** Conditions that every match must satisfy and that an index can answer. */
  indexable: IndexableCondition[];
}

type Op =
  | 'eq'
  | 'noteq'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'beginsWith'
  | 'endsWith'
  | 'contains'
  | 'exist'
  | 'notExist'
  | 'in'
  | 'notIn'
  | 'and'
  | 'or';

const OPS = new Map<string, Op>(
  (
    [
      'eq',
      'noteq',
      'gt',
      'gte',
      'lt',
      'lte',
      'beginsWith',
      'endsWith',
      'contains',
      'exist',
      'notExist',
      'in',
      'notIn',
      'and',
      'or',
    ] as const
  ).map((op) => [op.toLowerCase(), op]),
);

interface Walk {
  schema: EntitySchema;
  udfs: readonly UserDefinedFieldInformation[];
  udfConditions: number;
  orConditions: number;
}

/** A comparison target: how to read the record value, of which kind, under which name. */
interface Target {
  name: string;
  kind: ValueKind;
  /** A `long` field (ids): a string value, even a numeric one, matches nothing (API doc §4.3). */
  long?: boolean;
  /** The raw stored value. */
  raw: (record: StoredRecord) => unknown;
  /** Whether an index may answer equality on it (schema fields, not UDFs). */
  indexable: boolean;
}

/** Marks a query value that cannot match anything (a non-numeric string against a number field). */
const NO_MATCH = Symbol('no-match');
type Coerced = string | number | boolean | typeof NO_MATCH;

const NEVER: RecordPredicate = () => false;

export function compileFilter(
  filter: readonly unknown[],
  schema: EntitySchema,
  udfs: readonly UserDefinedFieldInformation[],
): CompiledFilter {
  const walk: Walk = { schema, udfs, udfConditions: 0, orConditions: 0 };
  const indexable: IndexableCondition[] = [];
  const tests = filter.map((node) => compileNode(node, walk, indexable));
  return { test: allOf(tests), indexable };
}

function compileNode(
  node: unknown,
  walk: Walk,
  indexable: IndexableCondition[] | undefined,
): RecordPredicate {
  if (!isPlainObject(node)) throw queryError(QUERY_MESSAGES.conditionNotObject());
  const rawOp = getKey(node, 'op');
  const op = typeof rawOp === 'string' ? OPS.get(rawOp.toLowerCase()) : undefined;
  if (!op) throw queryError(QUERY_MESSAGES.unknownOperator(rawOp));

  if (op === 'and' || op === 'or') {
    const items = getKey(node, 'items');
    if (!Array.isArray(items) || items.length === 0) throw queryError(QUERY_MESSAGES.missingItems(op));
    if (op === 'or') {
      for (const item of items) if (!isListCondition(item)) countOr(walk, 1);
      return anyOf(items.map((item) => compileNode(item, walk, undefined)));
    }
    return allOf(items.map((item) => compileNode(item, walk, indexable)));
  }

  const fieldName = getKey(node, 'field');
  if (typeof fieldName !== 'string' || fieldName.trim() === '')
    throw queryError(QUERY_MESSAGES.missingField(op));
  const target = resolveTarget(fieldName, isUdfFlag(getKey(node, 'udf')), walk);
  const { raw } = target;

  if (op === 'exist') return (r) => raw(r) != null;
  if (op === 'notExist') return (r) => raw(r) == null;

  const value = getKey(node, 'value');
  if (op === 'in' || op === 'notIn') {
    if (!Array.isArray(value) || value.length === 0)
      throw queryError(QUERY_MESSAGES.listValueExpected(op, target.name));
    countOr(walk, value.length);
    const coerced = value.map((v) => coerceScalar(v, op, target));
    if (coerced.includes(NO_MATCH)) return NEVER;
    const values = coerced as (string | number | boolean)[];
    if (op === 'in' && indexable && target.indexable) indexable.push(indexableOf(target, values));
    return listPredicate(op, target, values);
  }

  const coerced = coerceScalar(value, op, target);
  if (coerced === NO_MATCH) return NEVER;
  if (op === 'eq' && indexable && target.indexable) indexable.push(indexableOf(target, [coerced]));
  return comparison(op, target, coerced);
}

function isListCondition(node: unknown): boolean {
  if (!isPlainObject(node)) return false;
  const op = getKey(node, 'op');
  return typeof op === 'string' && (op.toLowerCase() === 'in' || op.toLowerCase() === 'notin');
}

function isUdfFlag(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

function countOr(walk: Walk, n: number): void {
  walk.orConditions += n;
  if (walk.orConditions > MAX_OR_CONDITIONS) throw queryError(QUERY_MESSAGES.tooManyOrConditions());
}

function resolveTarget(fieldName: string, udf: boolean, walk: Walk): Target {
  const { schema } = walk;
  if (udf) {
    const def = findUdf(walk.udfs, fieldName);
    if (!def) throw queryError(QUERY_MESSAGES.unknownField(fieldName, schema.singular));
    if (!def.isQueryable) throw queryError(QUERY_MESSAGES.notQueryable(def.name, schema.singular));
    walk.udfConditions++;
    if (walk.udfConditions > MAX_UDF_CONDITIONS) throw queryError(QUERY_MESSAGES.tooManyUdfConditions());
    const name = def.name;
    return { name, kind: kindOf(def.type), raw: (r) => r.udfs[name], indexable: false };
  }
  const field: FieldInformation | undefined = findField(schema, fieldName);
  if (!field) throw queryError(QUERY_MESSAGES.unknownField(fieldName, schema.singular));
  if (!field.isQueryable) throw queryError(QUERY_MESSAGES.notQueryable(field.name, schema.singular));
  const name = field.name;
  const kind = kindOf(field.dataType);
  const raw = name === 'id' ? (r: StoredRecord) => r.id : (r: StoredRecord) => r.values[name];
  const long = field.dataType === 'long';
  return { name, kind, raw, indexable: kind === 'string' || kind === 'number', long };
}

function coerceScalar(value: unknown, op: Op, target: Target): Coerced {
  if (value === undefined || value === null) throw queryError(QUERY_MESSAGES.missingValue(op, target.name));
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw queryError(QUERY_MESSAGES.scalarValueExpected(op, target.name));
  }
  if (op === 'beginsWith' || op === 'endsWith' || op === 'contains') return String(value).toLowerCase();
  switch (target.kind) {
    case 'string':
      return String(value);
    case 'number':
      if (typeof value === 'number') return Number.isFinite(value) ? value : NO_MATCH;
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (target.long === true) return NO_MATCH;
      return parseNumber(value) ?? NO_MATCH;
    case 'boolean': {
      const b =
        typeof value === 'boolean'
          ? value
          : typeof value === 'number'
            ? value === 1
              ? true
              : value === 0
                ? false
                : undefined
            : parseBoolean(value);
      if (b === undefined) throw queryError(QUERY_MESSAGES.invalidBoolean(target.name, value));
      return b;
    }
    case 'datetime': {
      const t = typeof value === 'string' ? parseUtcDateTime(value) : undefined;
      if (t === undefined) throw queryError(QUERY_MESSAGES.invalidDate(target.name, value));
      return t;
    }
  }
}

function indexableOf(target: Target, values: readonly (string | number | boolean)[]): IndexableCondition {
  return { field: target.name, values: values.filter((v): v is string | number => typeof v !== 'boolean') };
}

/** The comparable form of a query value: folded for strings. */
function key(kind: ValueKind, v: string | number | boolean): string | number | boolean {
  return kind === 'string' && typeof v === 'string' ? foldString(v) : v;
}

function comparison(op: Op, target: Target, value: string | number | boolean): RecordPredicate {
  const { kind, raw } = target;
  if (op === 'beginsWith' || op === 'endsWith' || op === 'contains') {
    const needle = value as string;
    const text = (r: StoredRecord): string | null => {
      const v = raw(r);
      return v == null ? null : textOf(v).toLowerCase();
    };
    if (op === 'beginsWith') return (r) => text(r)?.startsWith(needle) ?? false;
    if (op === 'endsWith') return (r) => text(r)?.endsWith(needle) ?? false;
    return (r) => text(r)?.includes(needle) ?? false;
  }
  const t = key(kind, value);
  const read =
    kind === 'string'
      ? (r: StoredRecord): string | number | boolean | null => {
          const v = raw(r);
          return v == null ? null : foldString(textOf(v));
        }
      : kind === 'number'
        ? (r: StoredRecord): string | number | boolean | null => {
            const v = raw(r);
            return typeof v === 'number' ? v : readAs('number', v);
          }
        : (r: StoredRecord): string | number | boolean | null => readAs(kind, raw(r));
  switch (op) {
    case 'eq':
      return (r) => read(r) === t;
    case 'noteq':
      return (r) => {
        const v = read(r);
        return v !== null && v !== t;
      };
    case 'gt':
      return (r) => {
        const v = read(r);
        return v !== null && v > t;
      };
    case 'gte':
      return (r) => {
        const v = read(r);
        return v !== null && v >= t;
      };
    case 'lt':
      return (r) => {
        const v = read(r);
        return v !== null && v < t;
      };
    case 'lte':
      return (r) => {
        const v = read(r);
        return v !== null && v <= t;
      };
    default:
      throw new Error(`unreachable operator ${op}`);
  }
}

function listPredicate(
  op: 'in' | 'notIn',
  target: Target,
  values: readonly (string | number | boolean)[],
): RecordPredicate {
  const set = new Set(values.map((v) => key(target.kind, v)));
  const { kind, raw } = target;
  const read = (r: StoredRecord): string | number | boolean | null => {
    const v = readAs(kind, raw(r));
    return kind === 'string' && typeof v === 'string' ? foldString(v) : v;
  };
  return op === 'in'
    ? (r) => {
        const v = read(r);
        return v !== null && set.has(v);
      }
    : (r) => {
        const v = read(r);
        return v !== null && !set.has(v);
      };
}

function allOf(tests: readonly RecordPredicate[]): RecordPredicate {
  if (tests.length === 1) return tests[0] as RecordPredicate;
  return (r) => {
    for (const t of tests) if (!t(r)) return false;
    return true;
  };
}

function anyOf(tests: readonly RecordPredicate[]): RecordPredicate {
  if (tests.length === 1) return tests[0] as RecordPredicate;
  return (r) => {
    for (const t of tests) if (t(r)) return true;
    return false;
  };
}
