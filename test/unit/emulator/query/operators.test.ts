import { describe, expect, it } from 'vitest';

import { CONTACTS, companyIds, errorOf, query, tableOf } from './fixture.js';

type Case = [name: string, filter: unknown[], expected: number[]];

const eq = (field: string, value: unknown, extra: object = {}) => ({ op: 'eq', field, value, ...extra });

describe('query operators on strings (case-insensitive, SQL Server trailing-blank equality)', () => {
  it.each<Case>([
    ['eq ignores case', [eq('companyName', 'ACME INC.')], [1, 2]],
    ['eq ignores trailing spaces in the value', [eq('companyName', 'Sirius Cybernetics Corporation ')], [5]],
    ['eq does not ignore leading spaces', [eq('companyName', ' Cascade')], []],
    ['noteq excludes equal values', [{ op: 'noteq', field: 'companyName', value: 'acme inc.' }], [3, 4, 5]],
    [
      'noteq does not match nulls; empty strings are values',
      [{ op: 'noteq', field: 'city', value: 'springfield' }],
      [3, 4, 5],
    ],
    ['gt compares case-insensitively', [{ op: 'gt', field: 'companyName', value: 'B' }], [3, 4, 5]],
    ['lte on strings', [{ op: 'lte', field: 'companyName', value: 'blue ridge legal' }], [1, 2, 3]],
    ['beginsWith', [{ op: 'beginsWith', field: 'companyName', value: 'AC' }], [1, 2]],
    [
      'endsWith: trailing spaces of the stored value count',
      [{ op: 'endsWith', field: 'companyName', value: 'INC.' }],
      [1],
    ],
    ['contains', [{ op: 'contains', field: 'companyName', value: 'cyber' }], [5]],
    ['exist: not null (an empty string exists)', [{ op: 'exist', field: 'city' }], [1, 3, 4, 5]],
    ['notExist: null', [{ op: 'notExist', field: 'city' }], [2]],
    [
      'in, case-insensitive with trailing spaces',
      [{ op: 'in', field: 'companyName', value: ['acme inc.', 'CASCADE '] }],
      [1, 2, 4],
    ],
    ['notIn', [{ op: 'notIn', field: 'companyName', value: ['acme inc.', 'cascade'] }], [3, 5]],
  ])('%s', (_name, filter, expected) => {
    expect(companyIds(filter)).toEqual(expected);
  });
});

describe('query operators on numbers', () => {
  it.each<Case>([
    ['eq', [eq('companyType', 1)], [1, 5]],
    ['a numeric string is compared as a number', [eq('companyType', '1')], [1, 5]],
    ['a non-numeric string matches nothing', [eq('companyType', 'abc')], []],
    [
      'noteq with a non-numeric string matches nothing',
      [{ op: 'noteq', field: 'companyType', value: 'abc' }],
      [],
    ],
    ['gt', [{ op: 'gt', field: 'companyType', value: 2 }], [2, 4]],
    ['gte', [{ op: 'gte', field: 'companyType', value: 2 }], [2, 3, 4]],
    ['lt', [{ op: 'lt', field: 'companyType', value: 2 }], [1, 5]],
    ['lte', [{ op: 'lte', field: 'companyType', value: '2' }], [1, 3, 5]],
    ['in', [{ op: 'in', field: 'companyType', value: [1, '7'] }], [1, 4, 5]],
    [
      'in with a non-numeric element matches nothing',
      [{ op: 'in', field: 'companyType', value: [1, 'x'] }],
      [],
    ],
    ['notIn', [{ op: 'notIn', field: 'companyType', value: [1, 7] }], [2, 3]],
    ['noteq does not match nulls', [{ op: 'noteq', field: 'parentCompanyID', value: 2 }], [3]],
    ['notIn does not match nulls', [{ op: 'notIn', field: 'parentCompanyID', value: [1] }], []],
    ['contains works on the number’s digits', [{ op: 'contains', field: 'companyType', value: '7' }], [4]],
    ['id eq', [eq('id', 3)], [3]],
    // A string against a Long field returns no rows on Autotask, even a numeric one (API doc §4.3).
    ['id eq as a string matches nothing (id is long)', [eq('ID', '3')], []],
    ['id in with a string element matches nothing', [{ op: 'in', field: 'id', value: [3, '5'] }], []],
    ['id in, unknown ids ignored', [{ op: 'in', field: 'id', value: [5, 1, 99] }], [1, 5]],
    ['match-all idiom gte id 0', [{ op: 'gte', field: 'id', value: 0 }], [1, 2, 3, 4, 5]],
    ['match-all idiom exist id', [{ op: 'exist', field: 'id' }], [1, 2, 3, 4, 5]],
  ])('%s', (_name, filter, expected) => {
    expect(companyIds(filter)).toEqual(expected);
  });
});

describe('query operators on booleans (true/false/1/0)', () => {
  it.each<Case>([
    ['true', [eq('isActive', true)], [1, 3, 4, 5]],
    ['1', [eq('isActive', 1)], [1, 3, 4, 5]],
    ['"false"', [eq('isActive', 'false')], [2]],
    ['0', [eq('isActive', 0)], [2]],
    ['"TRUE"', [eq('isActive', 'TRUE')], [1, 3, 4, 5]],
    ['noteq true', [{ op: 'noteq', field: 'isActive', value: true }], [2]],
  ])('%s', (_name, filter, expected) => {
    expect(companyIds(filter)).toEqual(expected);
  });

  it('rejects any other value, naming the field', () => {
    expect(errorOf(() => companyIds([eq('isActive', 'yes')]))).toEqual([
      'The value "yes" is not valid for the boolean field isActive: use true or false.',
    ]);
    expect(errorOf(() => companyIds([eq('isActive', 2)]))[0]).toMatch(/isActive/);
  });

  it('compares Contact isActive (an integer) with 1/0 and true/false', () => {
    const contacts = tableOf('Contacts', CONTACTS);
    const ids = (value: unknown) =>
      query('Contacts', contacts, { filter: [eq('isActive', value)] }).items.map((r) => r.id);
    expect(ids(1)).toEqual([10, 12]);
    expect(ids(true)).toEqual([10, 12]);
    expect(ids('0')).toEqual([11]);
  });
});

describe('query operators on datetimes (UTC instants)', () => {
  it.each<Case>([
    ['gt, value without Z is UTC', [{ op: 'gt', field: 'createDate', value: '2024-01-01T00:00:00' }], [2, 4]],
    ['gte, value with Z', [{ op: 'gte', field: 'createDate', value: '2024-01-01T00:00:00Z' }], [1, 2, 4]],
    ['eq across formats (.5 vs .500)', [eq('createDate', '2024-06-01T12:30:00.500Z')], [2]],
    ['eq with an offset', [eq('createDate', '2024-01-01T01:00:00+01:00')], [1]],
    ['lt with a date only', [{ op: 'lt', field: 'createDate', value: '2024-01-01' }], [3]],
    ['notExist', [{ op: 'notExist', field: 'createDate' }], [5]],
  ])('%s', (_name, filter, expected) => {
    expect(companyIds(filter)).toEqual(expected);
  });

  it('rejects a value that is not a date', () => {
    expect(errorOf(() => companyIds([{ op: 'gt', field: 'createDate', value: 'yesterday' }]))[0]).toMatch(
      /not a valid date for createDate/,
    );
  });
});

describe('UDF conditions', () => {
  it.each<Case>([
    ['eq by UDF name, any case', [eq('crm id', 'a-1', { udf: true })], [1]],
    ['numeric UDF compared as a number', [{ op: 'gt', field: 'Discount', value: 10, udf: true }], [2]],
    ['exist', [{ op: 'exist', field: 'CRM ID', udf: true }], [1, 4]],
    ['notExist', [{ op: 'notExist', field: 'CRM ID', udf: true }], [2, 3, 5]],
    [
      'udf flag as the string "true", combined with a field condition',
      [eq('CRM ID', 'C-4', { udf: 'true' }), eq('companyType', 7)],
      [4],
    ],
  ])('%s', (_name, filter, expected) => {
    expect(companyIds(filter)).toEqual(expected);
  });
});

describe('groups and names', () => {
  it.each<Case>([
    [
      'top-level array is AND',
      [{ op: 'beginsWith', field: 'companyName', value: 'a' }, eq('isActive', true)],
      [1],
    ],
    [
      'nested or/and',
      [
        {
          op: 'or',
          items: [
            eq('companyType', 7),
            {
              op: 'and',
              items: [{ op: 'beginsWith', field: 'companyName', value: 'a' }, eq('isActive', false)],
            },
          ],
        },
      ],
      [2, 4],
    ],
    [
      'operator names in any case',
      [
        { op: 'BeginsWith', field: 'companyName', value: 'a' },
        { op: 'NOTEXIST', field: 'city' },
      ],
      [2],
    ],
    ['field names in any case', [eq('COMPANYTYPE', 2)], [3]],
    ['JSON keys in any case', [{ Op: 'eq', Field: 'companyType', Value: 2 }], [3]],
    ['in equals or of eq', [{ op: 'or', items: [eq('companyType', 2), eq('companyType', 3)] }], [2, 3]],
  ])('%s', (_name, filter, expected) => {
    expect(companyIds(filter)).toEqual(expected);
  });
});
