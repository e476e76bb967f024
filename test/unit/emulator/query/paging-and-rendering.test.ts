import { describe, expect, it } from 'vitest';

import type { StoredRecord } from '../../../../src/emulator/contracts.js';
import { InMemoryEntityTable } from '../../../../src/emulator/store/index.js';
import { createEntityTable } from '../../../../src/emulator/store/index.js';
import { executeQuery, renderRecord } from '../../../../src/emulator/query/index.js';
import { COMPANIES, CONTACTS, count, query, request, schemas, tableOf, udfDefinitions } from './fixture.js';

const all = { filter: [{ op: 'gte', field: 'id', value: 0 }] };
const companies = tableOf('Companies', COMPANIES);

describe('paging', () => {
  it('orders by id and continues after the last id of a full page', () => {
    const page1 = query('Companies', companies, { ...all, MaxRecords: 2 });
    expect(page1.items.map((r) => r.id)).toEqual([1, 2]);
    expect(page1.requestCount).toBe(2);
    expect(page1.continueAfterId).toBe(2);
    const page2 = query('Companies', companies, { ...all, maxrecords: '2' }, page1.continueAfterId);
    expect(page2.items.map((r) => r.id)).toEqual([3, 4]);
    expect(page2.continueAfterId).toBe(4);
    const page3 = query('Companies', companies, { ...all, MaxRecords: 2 }, page2.continueAfterId);
    expect(page3.items.map((r) => r.id)).toEqual([5]);
    expect(page3.continueAfterId).toBeUndefined();
  });

  it('does not offer a next page when the page is full but nothing else matches', () => {
    const r = query('Companies', companies, {
      filter: [{ op: 'in', field: 'id', value: [1, 2] }],
      MaxRecords: 2,
    });
    expect(r.items).toHaveLength(2);
    expect(r.continueAfterId).toBeUndefined();
  });

  it('defaults MaxRecords to 500', () => {
    expect(query('Companies', companies, all).requestCount).toBe(500);
  });

  it('clamps MaxRecords above 500 to 500 when asked to, and still rejects values below 1', () => {
    const clamped = executeQuery({
      ...request('Companies', companies, { ...all, MaxRecords: 10_000 }),
      maxRecordsAboveLimit: 'clamp',
    });
    expect(clamped.requestCount).toBe(500);
    expect(clamped.items).toHaveLength(5);
    expect(() =>
      executeQuery({
        ...request('Companies', companies, { ...all, MaxRecords: 0 }),
        maxRecordsAboveLimit: 'clamp',
      }),
    ).toThrow(/MaxRecords must be a whole number from 1 to 500/);
    expect(() => executeQuery(request('Companies', companies, { ...all, MaxRecords: 501 }))).toThrow(
      /got 501/,
    );
  });

  it('keeps keyset pages stable when records are inserted before the cursor', () => {
    const t = tableOf('Companies', COMPANIES);
    const page1 = query('Companies', t, { ...all, MaxRecords: 3 });
    t.insert({ id: 0, values: { companyName: 'Root' }, udfs: {} });
    const page2 = query('Companies', t, { ...all, MaxRecords: 3 }, page1.continueAfterId);
    expect(page2.items.map((r) => r.id)).toEqual([4, 5]);
  });

  it('counts every match, ignoring MaxRecords and IncludeFields', () => {
    expect(count('Companies', companies, { ...all, MaxRecords: 1, IncludeFields: ['id'] })).toBe(5);
    expect(
      count('Companies', companies, { filter: [{ op: 'eq', field: 'companyName', value: 'acme inc.' }] }),
    ).toBe(2);
  });
});

describe('rendering', () => {
  it('renders every schema field with explicit nulls and every UDF by name', () => {
    const [item] = query('Companies', companies, { filter: [{ op: 'eq', field: 'id', value: 1 }] }).items;
    expect(Object.keys(item!)).toEqual([...schemas.Companies.fields.map((f) => f.name), 'userDefinedFields']);
    expect(item).toMatchObject({ id: 1, companyName: 'Acme Inc.', address2: null, parentCompanyID: null });
    expect(item!.userDefinedFields).toEqual(
      udfDefinitions.Companies.map((u) => ({
        name: u.name,
        value: ({ 'CRM ID': 'A-1', Discount: '5.0000' } as Record<string, string>)[u.name] ?? null,
      })),
    );
  });

  it('renders [] for userDefinedFields when the entity has no UDFs', () => {
    const r: StoredRecord = { id: 29682885, values: { firstName: 'Jordan' }, udfs: {} };
    const rendered = renderRecord(schemas.Resources, udfDefinitions.Resources, r);
    expect(rendered.userDefinedFields).toEqual([]);
    expect(rendered['email']).toBeNull();
  });

  it('projects IncludeFields: id always, named fields in schema order, named UDFs only', () => {
    const contacts = tableOf('Contacts', CONTACTS);
    const r = query('Contacts', contacts, {
      filter: [{ op: 'eq', field: 'companyID', value: 1 }],
      IncludeFields: ['LASTNAME', 'newsletter', 'firstName'],
    });
    expect(r.items).toEqual([
      {
        id: 10,
        firstName: 'Helen',
        lastName: 'Lovejoy',
        userDefinedFields: [{ name: 'Newsletter', value: '1' }],
      },
      {
        id: 11,
        firstName: 'Julius',
        lastName: 'Hibbert',
        userDefinedFields: [{ name: 'Newsletter', value: null }],
      },
    ]);
    const noUdf = query('Contacts', contacts, {
      filter: [{ op: 'eq', field: 'id', value: 12 }],
      includeFields: ['id'],
    });
    expect(noUdf.items).toEqual([{ id: 12, userDefinedFields: [] }]);
    const everyUdf = query('Contacts', contacts, {
      filter: [{ op: 'eq', field: 'id', value: 12 }],
      IncludeFields: ['userDefinedFields'],
    });
    expect(everyUdf.items[0]!.userDefinedFields!.map((u) => u.name)).toEqual(
      udfDefinitions.Contacts.map((u) => u.name),
    );
  });

  it('treats an empty IncludeFields list as all fields', () => {
    const [item] = query('Companies', companies, {
      filter: [{ op: 'eq', field: 'id', value: 3 }],
      IncludeFields: [],
    }).items;
    expect(Object.keys(item!)).toHaveLength(schemas.Companies.fields.length + 1);
  });
});

describe('index use', () => {
  class ScanCountingTable extends InMemoryEntityTable {
    scans = 0;
    override scan(afterId?: number): Iterable<StoredRecord> {
      this.scans++;
      return super.scan(afterId);
    }
  }

  function counting(): ScanCountingTable {
    const t = new ScanCountingTable({ entity: 'Contacts', indexedFields: ['emailAddress', 'companyID'] });
    for (const r of CONTACTS) t.insert(r);
    return t;
  }

  it('answers top-level eq/in on indexed fields and on id without scanning', () => {
    const t = counting();
    const ids = (filter: unknown[]) => query('Contacts', t, { filter }).items.map((r) => r.id);
    expect(ids([{ op: 'eq', field: 'emailaddress', value: 'HELEN@acme.example ' }])).toEqual([10]);
    expect(
      ids([
        {
          op: 'in',
          field: 'emailAddress',
          value: ['julius@acme.example', 'helen@acme.example', 'x@y.example'],
        },
      ]),
    ).toEqual([10, 11]);
    expect(
      ids([
        { op: 'eq', field: 'companyID', value: '1' },
        { op: 'eq', field: 'isActive', value: 1 },
      ]),
    ).toEqual([10]);
    expect(ids([{ op: 'in', field: 'id', value: [12, 10] }])).toEqual([10, 12]);
    expect(ids([{ op: 'and', items: [{ op: 'eq', field: 'companyID', value: 5 }] }])).toEqual([12]);
    expect(t.scans).toBe(0);
  });

  it('scans when the condition is not on the top level or not indexable', () => {
    const t = counting();
    query('Contacts', t, {
      filter: [{ op: 'or', items: [{ op: 'eq', field: 'emailAddress', value: 'x' }] }],
    });
    query('Contacts', t, { filter: [{ op: 'eq', field: 'firstName', value: 'Helen' }] });
    expect(t.scans).toBe(2);
  });

  it('respects afterId on the index path', () => {
    const t = createEntityTable('Contacts');
    for (const r of CONTACTS) t.insert(r);
    const r = query('Contacts', t, { filter: [{ op: 'eq', field: 'companyID', value: 1 }], MaxRecords: 1 });
    expect(r.items.map((i) => i.id)).toEqual([10]);
    expect(r.continueAfterId).toBe(10);
    const next = query(
      'Contacts',
      t,
      { filter: [{ op: 'eq', field: 'companyID', value: 1 }], MaxRecords: 1 },
      10,
    );
    expect(next.items.map((i) => i.id)).toEqual([11]);
    expect(next.continueAfterId).toBeUndefined();
  });
});
