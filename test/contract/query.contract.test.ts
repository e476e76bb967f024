/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return --
   the contract suite inspects untyped wire JSON, exactly as a foreign client would */
/**
 * Issue 2, item 5: the query engine — POST body and GET `search=`, all 13 operators plus nested
 * and/or, UDF conditions, the 500-OR limit, unknown and non-queryable fields, case-insensitive
 * strings, dates as UTC instants, MaxRecords, IncludeFields, id order, keyset paging through
 * `nextPageUrl` with Autotask's GET/POST rules, and `/query/count` (API doc §4, checklist §13 14–21).
 * Every test queries only records it created (scoped by companyID or a unique name), so the suite
 * also runs against a sandbox full of other data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createCompany,
  createContact,
  expectErrors,
  findOwnerResourceId,
  getItem,
  ok,
  uniqueName,
} from './helpers/fixtures.js';
import { againstSandbox, openTarget, type ContractTarget } from './helpers/target.js';

let target: ContractTarget;
let owner: number;
let companyId: number;
/** Contacts of `companyId` by label. */
const ids: Record<string, number> = {};
let udfName: string | undefined;

beforeAll(async () => {
  target = await openTarget({ seed: 'demo' });
  owner = await findOwnerResourceId(target);
  companyId = await createCompany(target, owner);
  const people: [string, Record<string, unknown>][] = [
    ['ann', { firstName: 'Ann', lastName: 'Smith', emailAddress: 'ann.smith@example.com', title: 'CEO' }],
    ['bob', { firstName: 'Bob', lastName: 'smithers', emailAddress: 'BOB@Example.org', title: 'CTO' }],
    ['cat', { firstName: 'Cat', lastName: 'Jones', title: 'Engineer' }],
    ['dan', { firstName: 'Dan', lastName: 'Brown', emailAddress: 'dan@sample.net', isActive: 0 }],
    ['eve', { firstName: 'Eve', lastName: 'Smith', emailAddress: 'eve@example.com' }],
  ];
  for (const [label, extra] of people) ids[label] = await createContact(target, companyId, extra);
  const udfs = ok(await target.call('GET', 'V1.0/Companies/entityInformation/userDefinedFields'))
    .fields as any[];
  udfName = udfs.find((u) => u.type === 'string' && !u.isPickList)?.name;
});
afterAll(() => target.close());

const inCompany = (): any => ({ op: 'eq', field: 'companyID', value: companyId });

async function contactsWhere(...filter: unknown[]): Promise<string[]> {
  const body = ok(
    await target.call('POST', 'V1.0/Contacts/query', { body: { filter: [inCompany(), ...filter] } }),
  );
  const byId = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
  return (body.items as any[]).map((c) => byId.get(c.id) ?? `?${c.id}`);
}

describe('request forms', () => {
  it('POST body and GET search= give the same items', async () => {
    const search = { filter: [inCompany(), { op: 'eq', field: 'lastName', value: 'Smith' }] };
    const post = ok(await target.call('POST', 'V1.0/Contacts/query', { body: search }));
    const get = ok(
      await target.call('GET', `V1.0/Contacts/query?search=${encodeURIComponent(JSON.stringify(search))}`),
    );
    expect(get.items).toEqual(post.items);
    expect(post.items.map((c: any) => c.id)).toEqual([ids['ann'], ids['eve']]);
  });

  it('body keys and field names are case-insensitive', async () => {
    const body = {
      Filter: [
        { op: 'eq', field: 'CompanyID', value: companyId },
        { op: 'eq', field: 'LASTNAME', value: 'jones' },
      ],
      maxRecords: 10,
      includeFields: ['FirstName'],
    };
    const r = ok(await target.call('POST', 'V1.0/Contacts/query', { body }));
    expect(r.items).toHaveLength(1);
    expect(r.items[0].id).toBe(ids['cat']);
    expect(r.items[0].firstName).toBe('Cat');
    expect(r.pageDetails.requestCount).toBe(10);
  });

  it('answers {items, pageDetails:{count, requestCount, prevPageUrl, nextPageUrl}}', async () => {
    const r = ok(await target.call('POST', 'V1.0/Contacts/query', { body: { filter: [inCompany()] } }));
    expect(Object.keys(r).sort()).toEqual(['items', 'pageDetails']);
    expect(r.pageDetails).toEqual({ count: 5, requestCount: 500, prevPageUrl: null, nextPageUrl: null });
  });

  it.skipIf(againstSandbox)('a missing or empty filter → 500 (emulator choice, §14 q6)', async () => {
    expectErrors(await target.call('POST', 'V1.0/Contacts/query', { body: {} }));
    expectErrors(await target.call('POST', 'V1.0/Contacts/query', { body: { filter: [] } }));
  });
});

describe('operators', () => {
  it.each<[string, unknown, string[]]>([
    ['eq (case-insensitive)', { op: 'eq', field: 'lastName', value: 'SMITH' }, ['ann', 'eve']],
    ['eq ignores trailing spaces', { op: 'eq', field: 'lastName', value: 'Jones   ' }, ['cat']],
    ['noteq', { op: 'noteq', field: 'lastName', value: 'smith' }, ['bob', 'cat', 'dan']],
    ['beginsWith', { op: 'beginsWith', field: 'lastName', value: 'smi' }, ['ann', 'bob', 'eve']],
    ['endsWith', { op: 'endsWith', field: 'emailAddress', value: 'EXAMPLE.COM' }, ['ann', 'eve']],
    ['contains', { op: 'contains', field: 'emailAddress', value: '@example.' }, ['ann', 'bob', 'eve']],
    ['exist', { op: 'exist', field: 'emailAddress' }, ['ann', 'bob', 'dan', 'eve']],
    ['notExist', { op: 'notExist', field: 'emailAddress' }, ['cat']],
    ['in', { op: 'in', field: 'firstName', value: ['ann', 'CAT', 'zed'] }, ['ann', 'cat']],
    ['notIn', { op: 'notIn', field: 'firstName', value: ['ann', 'cat'] }, ['bob', 'dan', 'eve']],
    ['gt on strings', { op: 'gt', field: 'firstName', value: 'cat' }, ['dan', 'eve']],
    ['lte on strings', { op: 'lte', field: 'firstName', value: 'BOB' }, ['ann', 'bob']],
    ['eq on an integer field', { op: 'eq', field: 'isActive', value: 0 }, ['dan']],
    [
      'a string value against a numeric field matches nothing',
      { op: 'eq', field: 'isActive', value: 'abc' },
      [],
    ],
  ])('%s', async (_name, condition, expected) => {
    expect(await contactsWhere(condition)).toEqual(expected);
  });

  it('gt / gte / lt / lte on ids compare numbers', async () => {
    const { bob, dan } = ids as { bob: number; dan: number };
    expect(
      await contactsWhere({ op: 'gt', field: 'id', value: bob }, { op: 'lt', field: 'id', value: dan }),
    ).toEqual(['cat']);
    expect(
      await contactsWhere({ op: 'gte', field: 'id', value: bob }, { op: 'lte', field: 'id', value: dan }),
    ).toEqual(['bob', 'cat', 'dan']);
  });

  it('the top-level array is an AND; or/and groups nest', async () => {
    const filter = {
      op: 'or',
      items: [
        { op: 'eq', field: 'firstName', value: 'Cat' },
        {
          op: 'and',
          items: [
            { op: 'beginsWith', field: 'lastName', value: 'smith' },
            { op: 'contains', field: 'emailAddress', value: '.org' },
          ],
        },
      ],
    };
    expect(await contactsWhere(filter)).toEqual(['bob', 'cat']);
    expect(
      await contactsWhere(
        { op: 'eq', field: 'lastName', value: 'Smith' },
        { op: 'eq', field: 'firstName', value: 'Eve' },
      ),
    ).toEqual(['eve']);
  });

  it('booleans accept true/false/1/0', async () => {
    const a = await createCompany(target, owner, { isActive: true, companyName: uniqueName('boolA') });
    const b = await createCompany(target, owner, { isActive: false, companyName: uniqueName('boolB') });
    const where = async (value: unknown): Promise<number[]> => {
      const body = {
        filter: [
          { op: 'in', field: 'id', value: [a, b] },
          { op: 'eq', field: 'isActive', value },
        ],
      };
      return (ok(await target.call('POST', 'V1.0/Companies/query', { body })).items as any[]).map(
        (c) => c.id,
      );
    };
    expect(await where(true)).toEqual([a]);
    expect(await where(1)).toEqual([a]);
    expect(await where(false)).toEqual([b]);
    expect(await where(0)).toEqual([b]);
  });

  it('dates are compared as UTC instants, with or without Z', async () => {
    const item = await getItem(target, 'Contacts', ids['cat']!);
    const created: string = item.createDate;
    const noZ = created.replace(/Z$/, '');
    const offset = new Date(Date.parse(created) + 3_600_000).toISOString().replace('Z', '+01:00');
    expect(
      await contactsWhere(
        { op: 'eq', field: 'id', value: ids['cat'] },
        { op: 'gte', field: 'createDate', value: created },
      ),
    ).toEqual(['cat']);
    expect(
      await contactsWhere(
        { op: 'eq', field: 'id', value: ids['cat'] },
        { op: 'gte', field: 'createDate', value: noZ },
      ),
    ).toEqual(['cat']);
    expect(
      await contactsWhere(
        { op: 'eq', field: 'id', value: ids['cat'] },
        { op: 'gt', field: 'createDate', value: created },
      ),
    ).toEqual([]);
    expect(
      await contactsWhere(
        { op: 'eq', field: 'id', value: ids['cat'] },
        { op: 'lte', field: 'createDate', value: offset },
      ),
    ).toEqual(['cat']);
    expect(await contactsWhere({ op: 'lt', field: 'createDate', value: '2000-01-01T00:00:00Z' })).toEqual([]);
  });
});

describe('UDF conditions', () => {
  it('udf: true filters on a UDF value', async () => {
    if (!udfName) return;
    const marker = uniqueName('udf');
    const a = await createCompany(target, owner, { userDefinedFields: [{ name: udfName, value: marker }] });
    await createCompany(target, owner, { userDefinedFields: [{ name: udfName, value: `${marker}-other` }] });
    const body = { filter: [{ op: 'eq', field: udfName, value: marker, udf: true }] };
    const items = ok(await target.call('POST', 'V1.0/Companies/query', { body })).items as any[];
    expect(items.map((c) => c.id)).toEqual([a]);
    const exist = { filter: [{ op: 'beginsWith', field: udfName, value: marker, udf: true }] };
    expect(ok(await target.call('POST', 'V1.0/Companies/query/count', { body: exist }))).toEqual({
      queryCount: 2,
    });
  });

  it('more than one UDF condition in a query → 500', async () => {
    if (!udfName) return;
    const body = {
      filter: [
        { op: 'exist', field: udfName, udf: true },
        { op: 'or', items: [{ op: 'eq', field: udfName, value: 'x', udf: true }, inCompany()] },
      ],
    };
    expect(expectErrors(await target.call('POST', 'V1.0/Companies/query', { body }))).toEqual([
      'You can only query by one user-defined field at a time.',
    ]);
  });
});

describe('limits of the query language', () => {
  const ORS = "Queries are limited to 500 or fewer 'OR' conditions.";

  it('500 values in an `in` are fine; 501 → 500 with the OR-limit message', async () => {
    const values = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
    const okBody = { filter: [inCompany(), { op: 'in', field: 'id', value: values(500) }] };
    ok(await target.call('POST', 'V1.0/Contacts/query', { body: okBody }));
    const tooMany = { filter: [inCompany(), { op: 'in', field: 'id', value: values(501) }] };
    expect(expectErrors(await target.call('POST', 'V1.0/Contacts/query', { body: tooMany }))).toEqual([ORS]);
  });

  it('501 items in an or group → the OR-limit message', async () => {
    const items = Array.from({ length: 501 }, (_, i) => ({ op: 'eq', field: 'id', value: i + 1 }));
    const r = await target.call('POST', 'V1.0/Contacts/query', { body: { filter: [{ op: 'or', items }] } });
    expect(expectErrors(r)).toEqual([ORS]);
  });

  it('an unknown field → "Unable to find {field} in the Contact Entity."', async () => {
    const r = await target.call('POST', 'V1.0/Contacts/query', {
      body: { filter: [{ op: 'eq', field: 'noSuchField', value: 1 }] },
    });
    expect(expectErrors(r)).toEqual(['Unable to find noSuchField in the Contact Entity.']);
  });

  it('an unknown IncludeFields entry → the same message', async () => {
    const r = await target.call('POST', 'V1.0/Contacts/query', {
      body: { filter: [inCompany()], IncludeFields: ['companyName'] },
    });
    expect(expectErrors(r)).toEqual(['Unable to find companyName in the Contact Entity.']);
  });

  it.each([
    ['Companies', 'assetValue', 1],
    ['Contacts', 'surveyOptOut', true],
    ['Resources', 'defaultServiceDeskRoleID', 1],
  ])('a non-queryable field (%s.%s) → 500 naming it', async (entity, field, value) => {
    const r = await target.call('POST', `V1.0/${entity}/query`, {
      body: { filter: [{ op: 'eq', field, value }] },
    });
    expect(expectErrors(r).join(' ')).toContain(field);
  });

  it.skipIf(againstSandbox)('MaxRecords must be 1–500 (emulator: error outside, §14 q5)', async () => {
    for (const MaxRecords of [0, 501]) {
      expectErrors(
        await target.call('POST', 'V1.0/Contacts/query', { body: { filter: [inCompany()], MaxRecords } }),
      );
    }
  });
});

describe('IncludeFields and ordering', () => {
  it('projects the named fields plus id', async () => {
    const body = { filter: [inCompany()], IncludeFields: ['lastName', 'emailAddress'] };
    const items = ok(await target.call('POST', 'V1.0/Contacts/query', { body })).items as any[];
    expect(items).toHaveLength(5);
    for (const c of items) {
      const keys = Object.keys(c)
        .filter((k) => k !== 'userDefinedFields')
        .sort();
      expect(keys).toEqual(['emailAddress', 'id', 'lastName']);
    }
  });

  it('results are ordered by id ascending', async () => {
    const items = ok(await target.call('POST', 'V1.0/Contacts/query', { body: { filter: [inCompany()] } }))
      .items as any[];
    const got = items.map((c) => c.id as number);
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(got).toEqual(Object.values(ids));
  });
});

describe('paging (keyset, nextPageUrl)', () => {
  it('POST-originated: nextPageUrl is absolute, GET on it → 405, POST with the body or none → the next page', async () => {
    const body = { filter: [inCompany()], MaxRecords: 2 };
    const first = ok(await target.call('POST', 'V1.0/Contacts/query', { body }));
    expect(first.pageDetails).toMatchObject({ count: 2, requestCount: 2, prevPageUrl: null });
    const next: string = first.pageDetails.nextPageUrl;
    expect(next).toMatch(/^https?:\/\/[^/]+\/ATServicesRest\/V1\.0\/Contacts\/query\/next\?paging=/i);
    expect(next).not.toMatch(/search=/);
    const paging = JSON.parse(decodeURIComponent(new URL(next).searchParams.get('paging') ?? 'null'));
    expect(paging).toMatchObject({ pageSize: 2, nextIds: expect.any(Array) });

    const viaGet = await target.call('GET', next);
    expect(viaGet.status).toBe(405);
    expect(viaGet.json).toEqual({ Message: "The requested resource does not support http method 'GET'." });

    const second = ok(await target.call('POST', next, { body }));
    expect(second.items.map((c: any) => c.id)).toEqual([ids['cat'], ids['dan']]);
    const secondNoBody = ok(await target.call('POST', next));
    expect(secondNoBody.items).toEqual(second.items);

    const third = ok(await target.call('POST', second.pageDetails.nextPageUrl, { body }));
    expect(third.items.map((c: any) => c.id)).toEqual([ids['eve']]);
    expect(third.pageDetails.nextPageUrl).toBeNull();
  });

  it.skipIf(againstSandbox)('POSTing nextPageUrl with a different filter → 500', async () => {
    const first = ok(
      await target.call('POST', 'V1.0/Contacts/query', { body: { filter: [inCompany()], MaxRecords: 2 } }),
    );
    const other = { filter: [{ op: 'eq', field: 'lastName', value: 'zzz' }] };
    expectErrors(await target.call('POST', first.pageDetails.nextPageUrl, { body: other }));
  });

  it('GET-originated: nextPageUrl carries search= and GET on it works', async () => {
    const search = encodeURIComponent(JSON.stringify({ filter: [inCompany()], MaxRecords: 3 }));
    const first = ok(await target.call('GET', `V1.0/Contacts/query?search=${search}`));
    expect(first.items).toHaveLength(3);
    const next: string = first.pageDetails.nextPageUrl;
    expect(next).toMatch(/\/query\/next\?.*paging=.*&search=|\/query\/next\?.*search=.*&paging=/i);
    const second = ok(await target.call('GET', next));
    expect(second.items.map((c: any) => c.id)).toEqual([ids['dan'], ids['eve']]);
    expect(second.pageDetails.nextPageUrl).toBeNull();
  });

  it('records inserted while paging do not shift later pages (keyset)', async () => {
    const company = await createCompany(target, owner);
    const made = [
      await createContact(target, company),
      await createContact(target, company),
      await createContact(target, company),
    ];
    const body = { filter: [{ op: 'eq', field: 'companyID', value: company }], MaxRecords: 2 };
    const first = ok(await target.call('POST', 'V1.0/Contacts/query', { body }));
    expect(first.items.map((c: any) => c.id)).toEqual(made.slice(0, 2));
    const late = await createContact(target, company);
    const second = ok(await target.call('POST', first.pageDetails.nextPageUrl, { body }));
    expect(second.items.map((c: any) => c.id)).toEqual([made[2], late]);
  });
});

describe('/query/count', () => {
  it('POST and GET forms answer {"queryCount": n}', async () => {
    const filter = { filter: [inCompany(), { op: 'beginsWith', field: 'lastName', value: 'Smith' }] };
    expect(ok(await target.call('POST', 'V1.0/Contacts/query/count', { body: filter }))).toEqual({
      queryCount: 3,
    });
    const search = encodeURIComponent(JSON.stringify(filter));
    expect(ok(await target.call('GET', `V1.0/Contacts/query/count?search=${search}`))).toEqual({
      queryCount: 3,
    });
  });
});
