/**
 * Typed query builder for Autotask's filter language (§4), plus the checks Autotask would otherwise
 * make with a 500: at most one UDF condition and at most 500 OR conditions per query.
 */
import { AutotaskQueryError } from './errors.js';
import type { ComparisonOp, Filter, FilterScalar, ListOp, QueryBody } from './types.js';

/** Largest page Autotask serves, and the most OR conditions (an `in` list counts) it accepts. */
export const MAX_RECORDS = 500;
export const MAX_OR_CONDITIONS = 500;
export const MAX_UDF_CONDITIONS = 1;

/** A query as the client's methods take it. */
export interface Query {
  /** Conditions, ANDed. A single filter is allowed. An empty list means "all records" (`id gte 0`). */
  filter: Filter | readonly Filter[];
  /** Only return these fields (plus `id`); UDF names may be listed. */
  includeFields?: readonly string[];
  /**
   * Page size, 1–500.
   * @default 500
   */
  maxRecords?: number;
}

/** Anything a query method accepts: a `Query`, a filter list or a single filter. */
export type QueryInput = Query | Filter | readonly Filter[];

function cmp(op: ComparisonOp) {
  return (field: string, value: FilterScalar): Filter => ({ op, field, value });
}

/** Builders for each operator: `where.eq('emailAddress', x)`, `where.in('id', [1, 2])`. */
export const where = {
  eq: cmp('eq'),
  noteq: cmp('noteq'),
  gt: cmp('gt'),
  gte: cmp('gte'),
  lt: cmp('lt'),
  lte: cmp('lte'),
  beginsWith: cmp('beginsWith'),
  endsWith: cmp('endsWith'),
  contains: cmp('contains'),
  exist: (field: string): Filter => ({ op: 'exist', field }),
  notExist: (field: string): Filter => ({ op: 'notExist', field }),
  in: (field: string, values: readonly FilterScalar[]): Filter => ({ op: 'in', field, value: [...values] }),
  notIn: (field: string, values: readonly FilterScalar[]): Filter => ({
    op: 'notIn',
    field,
    value: [...values],
  }),
  /** Every record (Autotask requires a filter). */
  all: (): Filter => ({ op: 'gte', field: 'id', value: 0 }),
};

/** All `items` must hold. */
export function and(...items: Filter[]): Filter {
  return { op: 'and', items };
}

/** A filter that is an `and`/`or` group. */
export type GroupFilter = Extract<Filter, { items: Filter[] }>;
/** A filter that is one condition on a field. */
export type ConditionFilter = Exclude<Filter, GroupFilter>;

/** True for `and`/`or` groups (TypeScript cannot narrow `op: 'and' | 'or'` by comparisons alone). */
export function isGroup(f: Filter): f is GroupFilter {
  return f.op === 'and' || f.op === 'or';
}

/** Any of `items` must hold. */
export function or(...items: Filter[]): Filter {
  return { op: 'or', items };
}

/** Marks a condition as being on a user-defined field: `udf(where.eq('Customer No', '42'))`. */
export function udf(filter: Filter): Filter {
  if (isGroup(filter)) {
    throw new AutotaskQueryError(`udf() takes one condition, not an '${filter.op}' group.`);
  }
  return { ...filter, udf: true };
}

/** Counts conditions on UDFs anywhere in the tree. */
export function countUdfConditions(filters: readonly Filter[]): number {
  let n = 0;
  for (const f of filters) {
    if (isGroup(f)) n += countUdfConditions(f.items);
    else if (f.udf === true) n += 1;
  }
  return n;
}

/**
 * Counts OR conditions the way Autotask does: each element of an `in`/`notIn` list is one, and an
 * `or` group with n children contributes n (plus whatever its children contain).
 */
export function countOrConditions(filters: readonly Filter[]): number {
  let n = 0;
  for (const f of filters) {
    if (f.op === 'or') n += f.items.length + countOrConditions(f.items);
    else if (f.op === 'and') n += countOrConditions(f.items);
    else if (f.op === 'in' || f.op === 'notIn') n += f.value.length;
  }
  return n;
}

function checkFilter(f: Filter, path: string): void {
  if (isGroup(f)) {
    if (f.items.length === 0)
      throw new AutotaskQueryError(`Filter ${path}: an '${f.op}' group needs items.`, { path });
    f.items.forEach((item, i) => checkFilter(item, `${path}.items[${i}]`));
    return;
  }
  if (typeof f.field !== 'string' || f.field.trim() === '') {
    throw new AutotaskQueryError(`Filter ${path}: 'field' must be a non-empty string.`, { path });
  }
  if ((f.op === 'in' || f.op === 'notIn') && f.value.length === 0) {
    throw new AutotaskQueryError(`Filter ${path}: '${f.op}' on '${f.field}' needs at least one value.`, {
      path,
    });
  }
}

/** `"123"` → 123; anything else unchanged. */
function integerOf(value: FilterScalar): FilterScalar {
  return typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : value;
}

/**
 * Conditions on `id` with their numeric strings as numbers: `id` is a Long field, and "Autotask
 * returns 0 results for string values against Long fields" (API doc §4.3), so a key read from a
 * file as text would otherwise find nothing.
 */
export function idValuesAsNumbers(f: Filter): Filter {
  if (isGroup(f)) return { ...f, items: f.items.map(idValuesAsNumbers) };
  if (f.udf === true || f.field.toLowerCase() !== 'id' || !('value' in f)) return f;
  return Array.isArray(f.value)
    ? { ...f, op: f.op as ListOp, value: f.value.map(integerOf) }
    : { ...f, op: f.op as ComparisonOp, value: integerOf(f.value) };
}

/** Normalises a `QueryInput` to a `Query` with an array filter. */
export function toQuery(input: QueryInput): Query & { filter: readonly Filter[] } {
  if (Array.isArray(input)) return { filter: input as readonly Filter[] };
  const q = input as Query | Filter;
  if ('op' in q) return { filter: [q] };
  return { ...q, filter: Array.isArray(q.filter) ? (q.filter as readonly Filter[]) : [q.filter as Filter] };
}

/**
 * Checks a query against Autotask's limits and builds the POST body. Throws `AutotaskQueryError`
 * before anything is sent when the API would refuse the query.
 */
export function buildQueryBody(input: QueryInput): QueryBody {
  const q = toQuery(input);
  const filter: Filter[] = q.filter.length === 0 ? [where.all()] : q.filter.map(idValuesAsNumbers);
  filter.forEach((f, i) => checkFilter(f, `filter[${i}]`));
  const udfs = countUdfConditions(filter);
  if (udfs > MAX_UDF_CONDITIONS) {
    throw new AutotaskQueryError(
      `The query has ${udfs} conditions on user-defined fields; Autotask allows only ${MAX_UDF_CONDITIONS} per query. Filter on one UDF and check the others locally.`,
      { udfConditions: udfs },
    );
  }
  const ors = countOrConditions(filter);
  if (ors > MAX_OR_CONDITIONS) {
    throw new AutotaskQueryError(
      `The query has ${ors} OR conditions (each 'in' value counts); Autotask allows at most ${MAX_OR_CONDITIONS}. Split it into several queries (findByValues does this).`,
      { orConditions: ors },
    );
  }
  const body: QueryBody = { filter };
  if (q.maxRecords !== undefined) {
    if (!Number.isInteger(q.maxRecords) || q.maxRecords < 1 || q.maxRecords > MAX_RECORDS) {
      throw new AutotaskQueryError(
        `maxRecords must be an integer from 1 to ${MAX_RECORDS}; got ${q.maxRecords}.`,
      );
    }
    body.MaxRecords = q.maxRecords;
  }
  if (q.includeFields && q.includeFields.length > 0) {
    const fields = [...q.includeFields];
    // Autotask requires `id` in IncludeFields when results span pages; always adding it is harmless.
    if (!fields.some((f) => f.toLowerCase() === 'id')) fields.unshift('id');
    body.IncludeFields = fields;
  }
  return body;
}
