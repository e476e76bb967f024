import { describe, expect, it } from 'vitest';

import { AutotaskBusinessError } from '../../../../src/emulator/contracts.js';
import { COMPANIES, count, errorOf, query, tableOf } from './fixture.js';

const companies = tableOf('Companies', COMPANIES);
const run = (body: unknown) => () => query('Companies', companies, body);
const eq = (field: string, value: unknown, udf = false) => ({
  op: 'eq',
  field,
  value,
  ...(udf ? { udf } : {}),
});

describe('query errors', () => {
  it.each<[string, unknown, string]>([
    ['unknown field', { filter: [eq('limit', 1)] }, 'Unable to find limit in the Company Entity.'],
    [
      'unknown field in a nested group',
      { filter: [{ op: 'or', items: [eq('companyType', 1), eq('Nope', 1)] }] },
      'Unable to find Nope in the Company Entity.',
    ],
    [
      'unknown IncludeFields entry',
      { filter: [eq('id', 1)], IncludeFields: ['companyName', 'firstName'] },
      'Unable to find firstName in the Company Entity.',
    ],
    [
      'unknown UDF',
      { filter: [eq('No Such UDF', 'x', true)] },
      'Unable to find No Such UDF in the Company Entity.',
    ],
    [
      'a UDF name without udf: true',
      { filter: [eq('CRM ID', 'x')] },
      'Unable to find CRM ID in the Company Entity.',
    ],
    [
      'non-queryable field',
      { filter: [eq('assetValue', 1)] },
      'The assetValue field of the Company Entity cannot be queried; filter on another field.',
    ],
    [
      'non-queryable field, other case, nested',
      { filter: [{ op: 'and', items: [eq('SICCODE', 'x')] }] },
      'The sicCode field of the Company Entity cannot be queried; filter on another field.',
    ],
    [
      'two UDF conditions anywhere in the tree',
      { filter: [eq('CRM ID', 'x', true), { op: 'or', items: [eq('Discount', 1, true)] }] },
      'You can only query by one user-defined field at a time.',
    ],
    [
      'missing filter',
      { MaxRecords: 5 },
      'A query must have a filter: send {"filter":[{"op":"gte","field":"id","value":0}]} to match every record.',
    ],
    [
      'empty filter',
      { filter: [] },
      'A query must have a filter: send {"filter":[{"op":"gte","field":"id","value":0}]} to match every record.',
    ],
    [
      'null filter',
      { filter: null },
      'A query must have a filter: send {"filter":[{"op":"gte","field":"id","value":0}]} to match every record.',
    ],
    ['filter not an array', { filter: eq('id', 1) }, 'The filter must be a JSON array of conditions.'],
    [
      'body not an object',
      [eq('id', 1)],
      'The query must be a JSON object such as {"filter":[...],"MaxRecords":500}.',
    ],
    [
      'MaxRecords 0',
      { filter: [eq('id', 1)], MaxRecords: 0 },
      'MaxRecords must be a whole number from 1 to 500 (got 0).',
    ],
    [
      'MaxRecords 501',
      { filter: [eq('id', 1)], maxRecords: 501 },
      'MaxRecords must be a whole number from 1 to 500 (got 501).',
    ],
    [
      'MaxRecords not a number',
      { filter: [eq('id', 1)], MaxRecords: 'ten' },
      'MaxRecords must be a whole number from 1 to 500 (got "ten").',
    ],
    [
      'MaxRecords fractional',
      { filter: [eq('id', 1)], MaxRecords: 1.5 },
      'MaxRecords must be a whole number from 1 to 500 (got 1.5).',
    ],
    [
      'IncludeFields not an array',
      { filter: [eq('id', 1)], IncludeFields: 'id' },
      'IncludeFields must be a JSON array of field names.',
    ],
    [
      'unknown operator',
      { filter: [{ op: 'like', field: 'companyName', value: 'a%' }] },
      expect.stringMatching(/^Invalid filter operator "like"/),
    ],
    [
      'missing operator',
      { filter: [{ field: 'companyName', value: 'a' }] },
      expect.stringMatching(/^Invalid filter operator undefined/),
    ],
    [
      'condition not an object',
      { filter: ['companyName eq a'] },
      'Each filter item must be an object with "op", "field" and "value".',
    ],
    ['missing field', { filter: [{ op: 'eq', value: 1 }] }, 'The \'eq\' condition needs a "field".'],
    [
      'missing value',
      { filter: [{ op: 'eq', field: 'companyName' }] },
      'The \'eq\' condition on companyName needs a "value".',
    ],
    [
      'null value',
      { filter: [{ op: 'gt', field: 'companyType', value: null }] },
      'The \'gt\' condition on companyType needs a "value".',
    ],
    [
      'array value for a scalar operator',
      { filter: [{ op: 'eq', field: 'companyType', value: [1] }] },
      "The 'eq' condition on companyType needs a single value, not an array or object.",
    ],
    [
      'scalar value for in',
      { filter: [{ op: 'in', field: 'companyType', value: 1 }] },
      'The \'in\' condition on companyType needs a non-empty array "value".',
    ],
    [
      'empty in list',
      { filter: [{ op: 'notIn', field: 'companyType', value: [] }] },
      'The \'notIn\' condition on companyType needs a non-empty array "value".',
    ],
    [
      'group without items',
      { filter: [{ op: 'or' }] },
      'The \'or\' group needs a non-empty "items" array of conditions.',
    ],
    [
      'group with empty items',
      { filter: [{ op: 'and', items: [] }] },
      'The \'and\' group needs a non-empty "items" array of conditions.',
    ],
  ])('%s', (_name, body, message) => {
    expect(errorOf(run(body))).toEqual([message]);
  });

  it('throws AutotaskBusinessError (→ 500 {"errors":[...]}) and validates count queries the same way', () => {
    expect(run({ filter: [eq('limit', 1)] })).toThrow(AutotaskBusinessError);
    expect(errorOf(() => count('Companies', companies, { filter: [eq('limit', 1)] }))).toEqual([
      'Unable to find limit in the Company Entity.',
    ]);
    try {
      run({ filter: [] })();
    } catch (e) {
      expect((e as AutotaskBusinessError).status).toBe(500);
    }
  });

  it('names the entity in its singular form', () => {
    const contacts = tableOf('Contacts', []);
    expect(errorOf(() => query('Contacts', contacts, { filter: [eq('companyName', 'x')] }))).toEqual([
      'Unable to find companyName in the Contact Entity.',
    ]);
    expect(errorOf(() => query('Contacts', contacts, { filter: [eq('surveyOptOut', true)] }))[0]).toMatch(
      /surveyOptOut field of the Contact Entity cannot be queried/,
    );
    const resources = tableOf('Resources', []);
    expect(
      errorOf(() => query('Resources', resources, { filter: [eq('defaultServiceDeskRoleID', 1)] }))[0],
    ).toMatch(/defaultServiceDeskRoleID field of the Resource Entity/);
  });

  it('accepts a non-queryable field in IncludeFields (projection is not a query)', () => {
    const items = query('Companies', companies, {
      filter: [eq('id', 1)],
      IncludeFields: ['assetValue'],
    }).items;
    expect(items).toEqual([{ id: 1, assetValue: null, userDefinedFields: [] }]);
  });
});

describe("the 500 'OR' conditions limit", () => {
  const TOO_MANY = ["Queries are limited to 500 or fewer 'OR' conditions."];
  const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  const ors = (n: number) => ({ op: 'or', items: values(n).map((v) => eq('companyType', v)) });

  it('counts every element of an in/notIn list', () => {
    expect(run({ filter: [{ op: 'in', field: 'id', value: values(500) }] })).not.toThrow();
    expect(errorOf(run({ filter: [{ op: 'in', field: 'id', value: values(501) }] }))).toEqual(TOO_MANY);
    expect(errorOf(run({ filter: [{ op: 'notIn', field: 'id', value: values(501) }] }))).toEqual(TOO_MANY);
  });

  it('counts every item of an or group', () => {
    expect(run({ filter: [ors(500)] })).not.toThrow();
    expect(errorOf(run({ filter: [ors(501)] }))).toEqual(TOO_MANY);
  });

  it('counts across the whole tree; an in list inside an or counts its values, not one more', () => {
    expect(run({ filter: [ors(250), { op: 'in', field: 'id', value: values(250) }] })).not.toThrow();
    expect(errorOf(run({ filter: [ors(250), { op: 'in', field: 'id', value: values(251) }] }))).toEqual(
      TOO_MANY,
    );
    const mixed = (n: number) => ({
      op: 'or',
      items: [eq('companyType', 1), { op: 'in', field: 'id', value: values(n) }],
    });
    expect(run({ filter: [mixed(499)] })).not.toThrow();
    expect(errorOf(run({ filter: [mixed(500)] }))).toEqual(TOO_MANY);
    expect(
      errorOf(
        run({
          filter: [
            { op: 'and', items: [ors(300)] },
            { op: 'or', items: [ors(201)] },
          ],
        }),
      ),
    ).toEqual(TOO_MANY);
  });
});
