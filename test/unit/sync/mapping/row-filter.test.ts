import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  RowFilterSpec,
  compileRowFilter,
  rowFilterColumns,
  type RowFilterSpec as RowFilter,
} from '../../../../src/sync/mapping/index.js';

const rows = [
  { Name: 'Acme', Status: 'active', Country: 'FR', Email: 'a@acme.example', Employees: 12 },
  { Name: 'Globex', Status: 'Inactive', Country: 'BE', Email: '', Employees: 300 },
  { Name: 'Initech', Status: 'prospect', Country: 'US', Email: null, Employees: '45' },
  { Name: 'Umbrella', Status: ' active ', Country: 'fr' },
];

function kept(spec: RowFilter): string[] {
  const p = compileRowFilter(RowFilterSpec.parse(spec));
  return rows.filter(p).map((r) => r.Name);
}

describe('row filter', () => {
  it.each<[string, RowFilter, string[]]>([
    ['eq (trimmed, exact case)', { column: 'Status', eq: 'active' }, ['Acme', 'Umbrella']],
    ['eq ignoring case', { column: 'Country', eq: 'FR', ignoreCase: true }, ['Acme', 'Umbrella']],
    ['eq with a number', { column: 'Employees', eq: 45 }, ['Initech']],
    ['ne', { column: 'Country', ne: 'FR' }, ['Globex', 'Initech', 'Umbrella']],
    ['in', { column: 'Country', in: ['FR', 'BE'] }, ['Acme', 'Globex']],
    [
      'notIn ignoring case',
      { column: 'Status', notIn: ['inactive'], ignoreCase: true },
      ['Acme', 'Initech', 'Umbrella'],
    ],
    ['empty (blank, null or missing)', { column: 'Email', empty: true }, ['Globex', 'Initech', 'Umbrella']],
    ['notEmpty', { column: 'Email', notEmpty: true }, ['Acme']],
    ['matches', { column: 'Email', matches: '@acme\\.example$' }, ['Acme']],
    [
      'matches ignoring case',
      { column: 'Name', matches: '^(acme|globex)$', ignoreCase: true },
      ['Acme', 'Globex'],
    ],
    [
      'all',
      {
        all: [
          { column: 'Country', in: ['FR', 'fr'] },
          { column: 'Email', notEmpty: true },
        ],
      },
      ['Acme'],
    ],
    [
      'any',
      {
        any: [
          { column: 'Country', eq: 'US' },
          { column: 'Country', eq: 'BE' },
        ],
      },
      ['Globex', 'Initech'],
    ],
    ['not', { not: { column: 'Status', eq: 'active' } }, ['Globex', 'Initech']],
    [
      'nested',
      {
        all: [
          { not: { column: 'Email', empty: true } },
          {
            any: [
              { column: 'Name', eq: 'Acme' },
              { column: 'Name', eq: 'X' },
            ],
          },
        ],
      },
      ['Acme'],
    ],
  ])('%s', (_what, spec, expected) => {
    expect(kept(spec)).toEqual(expected);
  });

  it('keeps every row without a filter', () => {
    expect(rows.filter(compileRowFilter(undefined))).toHaveLength(rows.length);
  });

  it.each<[unknown, RegExp]>([
    [{ column: 'A' }, /Give one operator/],
    [{ column: 'A', eq: 1, ne: 2 }, /exactly one operator/],
    [{ column: 'A', matches: '(' }, /Invalid regular expression/],
    [{ column: 'A', like: '%x' }, /like|Unrecognized/i],
    [{ all: [] }, /too_small|>=1|at least/i],
    [{ column: 'A', eq: { $where: 'code' } }, /.+/],
  ])('refuses %j', (spec, message) => {
    const r = RowFilterSpec.safeParse(spec);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(message);
  });

  it('lists the columns it reads', () => {
    expect(
      rowFilterColumns({
        all: [
          { column: 'A', eq: 1 },
          { any: [{ column: 'B', empty: true }, { not: { column: 'A', ne: 2 } }] },
        ],
      }),
    ).toEqual(['A', 'B']);
  });
});

describe('row filter (properties)', () => {
  const value = fc.oneof(
    fc.constantFrom('a', 'b', 'A', ' a ', '', 'c'),
    fc.constant(null),
    fc.integer({ min: 0, max: 3 }),
  );
  const row = fc.record({ X: value, Y: value });
  const leaf: fc.Arbitrary<RowFilter> = fc.oneof(
    fc.record({ column: fc.constantFrom('X', 'Y'), eq: fc.constantFrom('a', 'b', 1) }),
    fc.record({
      column: fc.constantFrom('X', 'Y'),
      in: fc.array(fc.constantFrom('a', 'c', 0), { minLength: 1 }),
    }),
    fc.record({ column: fc.constantFrom('X', 'Y'), empty: fc.constant(true as const) }),
    fc.record({ column: fc.constantFrom('X', 'Y'), matches: fc.constantFrom('^a', 'b|c', '\\d') }),
  );
  const filter = fc.letrec<{ f: RowFilter }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ all: fc.array(tie('f'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ any: fc.array(tie('f'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie('f') }),
    ),
  })).f;

  it('not(f) keeps exactly the rows f drops', () => {
    fc.assert(
      fc.property(filter, row, (f, r) => {
        expect(compileRowFilter({ not: f })(r)).toBe(!compileRowFilter(f)(r));
      }),
    );
  });

  it('all and any follow De Morgan and agree with every/some', () => {
    fc.assert(
      fc.property(fc.array(filter, { minLength: 1, maxLength: 4 }), row, (fs, r) => {
        const each = fs.map((f) => compileRowFilter(f)(r));
        expect(compileRowFilter({ all: fs })(r)).toBe(each.every(Boolean));
        expect(compileRowFilter({ any: fs })(r)).toBe(each.some(Boolean));
        expect(compileRowFilter({ not: { all: fs } })(r)).toBe(
          compileRowFilter({ any: fs.map((f) => ({ not: f })) })(r),
        );
      }),
    );
  });

  it('in [v] behaves as eq v, and notIn as its negation', () => {
    fc.assert(
      fc.property(fc.constantFrom('a', 'b', 1, ''), row, (v, r) => {
        expect(compileRowFilter({ column: 'X', in: [v] })(r)).toBe(
          compileRowFilter({ column: 'X', eq: v })(r),
        );
        expect(compileRowFilter({ column: 'X', notIn: [v] })(r)).toBe(
          !compileRowFilter({ column: 'X', eq: v })(r),
        );
      }),
    );
  });

  it('every generated filter passes the schema (the language is closed)', () => {
    fc.assert(
      fc.property(filter, (f) => {
        expect(RowFilterSpec.safeParse(f).success).toBe(true);
      }),
    );
  });
});
