import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { AutotaskQueryError } from '../../../src/autotask/errors.js';
import {
  and,
  buildQueryBody,
  countOrConditions,
  countUdfConditions,
  or,
  toQuery,
  udf,
  where,
} from '../../../src/autotask/query.js';
import type { Filter } from '../../../src/autotask/types.js';

describe('query builder', () => {
  it('builds every operator as Autotask expects it on the wire', () => {
    expect(
      buildQueryBody({
        filter: [
          where.eq('companyID', 174),
          or(where.beginsWith('lastName', 'Sm'), where.contains('emailAddress', '@example.com')),
          and(where.gte('id', 10), where.lt('id', 20)),
          where.exist('phone'),
          where.notExist('fax'),
          where.in('id', [1, 2]),
          where.notIn('city', ['a']),
          udf(where.eq('Customer No', '42')),
        ],
        includeFields: ['firstName'],
        maxRecords: 50,
      }),
    ).toEqual({
      filter: [
        { op: 'eq', field: 'companyID', value: 174 },
        {
          op: 'or',
          items: [
            { op: 'beginsWith', field: 'lastName', value: 'Sm' },
            { op: 'contains', field: 'emailAddress', value: '@example.com' },
          ],
        },
        {
          op: 'and',
          items: [
            { op: 'gte', field: 'id', value: 10 },
            { op: 'lt', field: 'id', value: 20 },
          ],
        },
        { op: 'exist', field: 'phone' },
        { op: 'notExist', field: 'fax' },
        { op: 'in', field: 'id', value: [1, 2] },
        { op: 'notIn', field: 'city', value: ['a'] },
        { op: 'eq', field: 'Customer No', value: '42', udf: true },
      ],
      MaxRecords: 50,
      IncludeFields: ['id', 'firstName'],
    });
  });

  it('queries everything with an empty filter (Autotask requires one)', () => {
    expect(buildQueryBody([])).toEqual({ filter: [{ op: 'gte', field: 'id', value: 0 }] });
  });

  it('accepts a single filter, a list or a Query', () => {
    const f = where.eq('id', 1);
    expect(toQuery(f).filter).toEqual([f]);
    expect(toQuery([f]).filter).toEqual([f]);
    expect(toQuery({ filter: f }).filter).toEqual([f]);
  });

  it.each([
    [[udf(where.eq('A', 1)), udf(where.eq('B', 2))], /2 conditions on user-defined fields.*only 1/],
    [[or(udf(where.eq('A', 1)), and(udf(where.exist('B'))))], /2 conditions on user-defined fields/],
    [
      [
        where.in(
          'id',
          Array.from({ length: 501 }, (_, i) => i),
        ),
      ],
      /501 OR conditions/,
    ],
    [
      [
        or(...Array.from({ length: 300 }, (_, i) => where.eq('id', i))),
        where.in(
          'x',
          Array.from({ length: 201 }, (_, i) => i),
        ),
      ],
      /501 OR conditions/,
    ],
    [[where.in('id', [])], /needs at least one value/],
    [[and()], /group needs items/],
    [[where.eq('', 1)], /non-empty string/],
  ] as [Filter[], RegExp][])('refuses before sending: %#', (filter, message) => {
    expect(() => buildQueryBody(filter)).toThrow(AutotaskQueryError);
    expect(() => buildQueryBody(filter)).toThrow(message);
  });

  it('refuses maxRecords outside 1–500', () => {
    expect(() => buildQueryBody({ filter: [], maxRecords: 501 })).toThrow(/1 to 500/);
    expect(() => buildQueryBody({ filter: [], maxRecords: 0 })).toThrow(/1 to 500/);
    expect(buildQueryBody({ filter: [], maxRecords: 500 }).MaxRecords).toBe(500);
  });

  it('refuses udf() on a group', () => {
    expect(() => udf(or(where.eq('a', 1)))).toThrow(/one condition/);
  });
});

// --- property tests --------------------------------------------------------------------------

const scalar = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean());
const fieldName = fc.constantFrom('id', 'companyName', 'city', 'Customer No');
const leaf: fc.Arbitrary<Filter> = fc.oneof(
  fc
    .record({
      op: fc.constantFrom('eq', 'noteq', 'gt', 'contains'),
      field: fieldName,
      value: scalar,
      udf: fc.boolean(),
    })
    .map(({ udf: u, ...f }) => (u ? { ...f, udf: true } : f) as Filter),
  fc.record({ op: fc.constantFrom('exist', 'notExist'), field: fieldName }) as fc.Arbitrary<Filter>,
  fc.record({
    op: fc.constantFrom('in', 'notIn'),
    field: fieldName,
    value: fc.array(scalar, { minLength: 1, maxLength: 300 }),
  }) as fc.Arbitrary<Filter>,
);
const tree = fc.letrec<{ f: Filter }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({
      op: fc.constantFrom('and', 'or'),
      items: fc.array(tie('f'), { minLength: 1, maxLength: 4 }),
    }) as fc.Arbitrary<Filter>,
  ),
})).f;

/** Independent reference count of OR conditions. */
function refOrs(f: Filter): number {
  if ('items' in f) return (f.op === 'or' ? f.items.length : 0) + f.items.reduce((n, i) => n + refOrs(i), 0);
  return Array.isArray((f as { value?: unknown }).value) ? (f as { value: unknown[] }).value.length : 0;
}
function refUdfs(f: Filter): number {
  if ('items' in f) return f.items.reduce((n, i) => n + refUdfs(i), 0);
  return (f as { udf?: boolean }).udf === true ? 1 : 0;
}

/** Reference: numeric strings on (non-UDF) `id` conditions become numbers (id is a Long field, §4.3). */
function refIdNumbers(f: Filter): unknown {
  if ('items' in f) return { ...f, items: f.items.map(refIdNumbers) };
  const c = f as { field: string; udf?: boolean; value?: unknown };
  if (c.field !== 'id' || c.udf === true || !('value' in c)) return f;
  const num = (v: unknown): unknown => (typeof v === 'string' && /^\s*\d{1,15}\s*$/.test(v) ? Number(v) : v);
  return { ...f, value: Array.isArray(c.value) ? c.value.map(num) : num(c.value) };
}

describe('query limits (property)', () => {
  it('sends exactly the queries Autotask accepts, unchanged but for numeric strings on id', () => {
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 4 }), (filters) => {
        const ors = filters.reduce((n, f) => n + refOrs(f), 0);
        const udfs = filters.reduce((n, f) => n + refUdfs(f), 0);
        expect(countOrConditions(filters)).toBe(ors);
        expect(countUdfConditions(filters)).toBe(udfs);
        if (ors > 500 || udfs > 1) {
          expect(() => buildQueryBody(filters)).toThrow(AutotaskQueryError);
        } else {
          const body = buildQueryBody(filters);
          expect(JSON.parse(JSON.stringify(body))).toEqual({ filter: filters.map(refIdNumbers) });
        }
      }),
      { numRuns: 300 },
    );
  });
});
