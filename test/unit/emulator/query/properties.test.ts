import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { StoredRecord } from '../../../../src/emulator/contracts.js';
import { count, query, rec, tableOf } from './fixture.js';

const NAMES = ['Acme', 'acme ', 'ACME', 'Beta', 'beta  ', 'Gamma', ' gamma', 'Delta'];

/** Random contacts: emails from a small pool (with case/space variants), companies 1–5, some nulls. */
const contactsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 400 }), { maxLength: 60 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.record({
          id: fc.constant(id),
          email: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
          companyID: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
          isActive: fc.constantFrom(0, 1),
        }),
      ),
    ),
  )
  .map((rows) =>
    rows.map((r): StoredRecord =>
      rec(r.id, {
        firstName: 'F',
        lastName: 'L',
        isActive: r.isActive,
        ...(r.email === undefined ? {} : { emailAddress: r.email }),
        ...(r.companyID === undefined ? {} : { companyID: r.companyID }),
      }),
    ),
  );

const valueArb = fc.oneof(
  fc.record({
    field: fc.constant('emailAddress'),
    values: fc.array(fc.constantFrom(...NAMES, 'none'), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    field: fc.constant('companyID'),
    values: fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom('2', '3 ')), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
);

const ids = (items: { id: number }[]): number[] => items.map((r) => r.id);

describe('query engine properties', () => {
  it('`in` matches exactly what an `or` of `eq` conditions matches', () => {
    fc.assert(
      fc.property(contactsArb, valueArb, (records, { field, values }) => {
        const table = tableOf('Contacts', records);
        const viaIn = query('Contacts', table, { filter: [{ op: 'in', field, value: values }] });
        const viaOr = query('Contacts', table, {
          filter: [{ op: 'or', items: values.map((value) => ({ op: 'eq', field, value })) }],
        });
        expect(ids(viaIn.items)).toEqual(ids(viaOr.items));
      }),
    );
  });

  it('the index path returns the same records as a full scan', () => {
    fc.assert(
      fc.property(contactsArb, valueArb, fc.constantFrom('in', 'eq'), (records, { field, values }, op) => {
        const filter = [
          op === 'in' ? { op, field, value: values } : { op, field, value: values[0] },
          { op: 'eq', field: 'isActive', value: 1 },
        ];
        const indexed = query('Contacts', tableOf('Contacts', records, true), { filter });
        const scanned = query('Contacts', tableOf('Contacts', records, false), { filter });
        expect(ids(indexed.items)).toEqual(ids(scanned.items));
        // an independent oracle: SQL Server equality (case-insensitive, trailing spaces ignored)
        const wanted = (op === 'in' ? values : values.slice(0, 1)).map((v) =>
          field === 'companyID' ? Number(v) : String(v).replace(/ +$/, '').toLowerCase(),
        );
        const expected = records
          .filter((r) => {
            const v = r.values[field];
            if (v === undefined || r.values['isActive'] !== 1) return false;
            return wanted.includes(
              typeof v === 'string' ? v.replace(/ +$/, '').toLowerCase() : (v as number),
            );
          })
          .map((r) => r.id)
          .sort((a, b) => a - b);
        expect(ids(indexed.items)).toEqual(expected);
      }),
    );
  });

  it('paging through every page returns exactly the full result, in id order', () => {
    fc.assert(
      fc.property(
        contactsArb,
        fc.integer({ min: 1, max: 25 }),
        valueArb,
        fc.boolean(),
        (records, pageSize, { field, values }, useIndex) => {
          const table = tableOf('Contacts', records);
          const filter = useIndex
            ? [{ op: 'in', field, value: values }]
            : [{ op: 'gte', field: 'id', value: 0 }];
          const seen: number[] = [];
          let afterId: number | undefined;
          for (let guard = 0; guard < 1000; guard++) {
            const page = query('Contacts', table, { filter, MaxRecords: pageSize }, afterId);
            expect(page.items.length).toBeLessThanOrEqual(pageSize);
            seen.push(...ids(page.items));
            if (page.continueAfterId === undefined) break;
            expect(page.items).toHaveLength(pageSize);
            afterId = page.continueAfterId;
          }
          const full = ids(query('Contacts', table, { filter }).items);
          expect(seen).toEqual(full);
          expect([...full].sort((a, b) => a - b)).toEqual(full);
          expect(count('Contacts', table, { filter })).toBe(full.length);
        },
      ),
    );
  });
});
