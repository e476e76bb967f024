import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { StoredRecord } from '../../../../src/emulator/contracts.js';
import {
  EntityTableError,
  InMemoryEntityTable,
  createEntityTable,
  equalityKey,
  foldString,
} from '../../../../src/emulator/store/index.js';

function rec(id: number, values: Record<string, unknown> = {}): StoredRecord {
  return { id, values, udfs: {} };
}

const ids = (records: Iterable<StoredRecord>): number[] => [...records].map((r) => r.id);

function table(): InMemoryEntityTable {
  return new InMemoryEntityTable({ entity: 'Contacts', indexedFields: ['emailAddress', 'companyID'] });
}

describe('InMemoryEntityTable: order and scans', () => {
  it('scans in ascending id order whatever the insertion order', () => {
    const t = table();
    for (const id of [5, 1, 9, 3, 7]) t.insert(rec(id));
    expect(ids(t.scan())).toEqual([1, 3, 5, 7, 9]);
    expect(t.size()).toBe(5);
    expect(t.maxId()).toBe(9);
  });

  it('starts a scan after afterId, whether or not that id exists', () => {
    const t = table();
    for (const id of [10, 20, 30, 40]) t.insert(rec(id));
    expect(ids(t.scan(20))).toEqual([30, 40]);
    expect(ids(t.scan(25))).toEqual([30, 40]);
    expect(ids(t.scan(-1))).toEqual([10, 20, 30, 40]);
    expect(ids(t.scan(40))).toEqual([]);
  });

  it('keeps a running scan consistent when records are deleted or inserted during it', () => {
    const t = table();
    for (const id of [1, 2, 3, 4, 5, 6]) t.insert(rec(id));
    const seen: number[] = [];
    for (const r of t.scan()) {
      seen.push(r.id);
      if (r.id === 2) {
        t.delete(1); // shifts the array behind the cursor
        t.delete(4); // removes one ahead of it
        t.insert(rec(0)); // out of order, behind the cursor
        t.insert(rec(10)); // appended, ahead of it
      }
    }
    expect(seen).toEqual([1, 2, 3, 5, 6, 10]);
  });

  it('gets, replaces and deletes by id', () => {
    const t = table();
    t.insert(rec(1, { emailAddress: 'a@x.example' }));
    t.replace(rec(1, { emailAddress: 'b@x.example' }));
    expect(t.get(1)?.values['emailAddress']).toBe('b@x.example');
    expect(t.delete(1)).toBe(true);
    expect(t.delete(1)).toBe(false);
    expect(t.get(1)).toBeUndefined();
    expect(t.size()).toBe(0);
    expect(t.maxId()).toBeUndefined();
  });

  it('refuses a duplicate insert and a replace of a missing record', () => {
    const t = table();
    t.insert(rec(1));
    expect(() => t.insert(rec(1))).toThrow(EntityTableError);
    expect(() => t.replace(rec(2))).toThrow(/no record with id 2/);
  });
});

describe('InMemoryEntityTable: equality indexes', () => {
  it('looks values up case-insensitively, ignoring trailing spaces, like Autotask', () => {
    const t = table();
    t.insert(rec(1, { emailAddress: 'Zaphod@Example.com', companyID: 174 }));
    t.insert(rec(2, { emailAddress: 'zaphod@example.com  ', companyID: 174 }));
    t.insert(rec(3, { emailAddress: 'arthur@example.com', companyID: 175 }));
    expect([...t.lookup('emailAddress', 'ZAPHOD@example.COM ')!].sort()).toEqual([1, 2]);
    expect([...t.lookup('emailAddress', ' zaphod@example.com')!]).toEqual([]); // leading spaces count
    expect([...t.lookup('companyID', 174)!].sort()).toEqual([1, 2]);
    expect(t.lookup('firstName', 'x')).toBeUndefined(); // no index on that field
  });

  it('keeps indexes up to date on replace and delete', () => {
    const t = table();
    t.insert(rec(1, { emailAddress: 'a@x.example', companyID: 1 }));
    t.insert(rec(2, { emailAddress: 'a@x.example', companyID: 1 }));
    t.replace(rec(1, { emailAddress: 'c@x.example', companyID: 1 }));
    expect([...t.lookup('emailAddress', 'a@x.example')!]).toEqual([2]);
    expect([...t.lookup('emailAddress', 'c@x.example')!]).toEqual([1]);
    t.replace(rec(1, { companyID: 1 })); // email removed (null)
    expect([...t.lookup('emailAddress', 'c@x.example')!]).toEqual([]);
    t.delete(2);
    expect([...t.lookup('emailAddress', 'a@x.example')!]).toEqual([]);
    expect([...t.lookup('companyID', 1)!]).toEqual([1]);
  });

  it('answers id lookups without an index', () => {
    const t = table();
    t.insert(rec(7));
    expect([...t.lookup('id', 7)!]).toEqual([7]);
    expect([...t.lookup('id', 8)!]).toEqual([]);
  });

  it('createEntityTable indexes the fields a sync looks up by', () => {
    expect(createEntityTable('Contacts').indexedFields()).toEqual(
      expect.arrayContaining(['emailAddress', 'companyID']),
    );
    expect(createEntityTable('Companies').indexedFields()).toContain('companyName');
    expect(createEntityTable('Resources').indexedFields()).toContain('email');
    expect(createEntityTable('Opportunities').indexedFields()).toEqual(
      expect.arrayContaining(['title', 'companyID']),
    );
  });

  it('matches a model under any sequence of inserts, replaces and deletes (property)', () => {
    const email = fc.constantFrom('a@x.example', 'A@X.example ', 'b@x.example', 'B@x.EXAMPLE', undefined);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), id: fc.integer({ min: 1, max: 30 }), email }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 1, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const t = table();
        const model = new Map<number, string | undefined>();
        for (const o of ops) {
          if (o.kind === 'delete') {
            expect(t.delete(o.id)).toBe(model.delete(o.id));
            continue;
          }
          const r = rec(o.id, o.email === undefined ? {} : { emailAddress: o.email });
          if (model.has(o.id)) t.replace(r);
          else t.insert(r);
          model.set(o.id, o.email);
        }
        expect(ids(t.scan())).toEqual([...model.keys()].sort((a, b) => a - b));
        for (const probe of ['a@x.example', 'b@x.example']) {
          const expected = [...model]
            .filter(([, e]) => e !== undefined && foldString(e) === probe)
            .map(([id]) => id);
          expect([...t.lookup('emailAddress', probe)!].sort((a, b) => a - b)).toEqual(
            expected.sort((a, b) => a - b),
          );
        }
      }),
    );
  });
});

describe('equalityKey', () => {
  it('folds strings and keeps numbers and booleans', () => {
    expect(equalityKey('Acme Inc.  ')).toBe('acme inc.');
    expect(equalityKey('  Acme')).toBe('  acme');
    expect(equalityKey(174)).toBe(174);
    expect(equalityKey(true)).toBe(true);
    expect(equalityKey(null)).toBeUndefined();
    expect(equalityKey(Number.NaN)).toBeUndefined();
  });
});
