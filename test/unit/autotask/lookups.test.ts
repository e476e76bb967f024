import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { fieldValue, findByValues } from '../../../src/autotask/lookups.js';
import { normaliseLookupValue } from '../../../src/autotask/lookup-key.js';
import { buildQueryBody, type QueryInput } from '../../../src/autotask/query.js';
import type { EntityRecord, Filter } from '../../../src/autotask/types.js';

/** An in-memory "Autotask" answering `eq`/`in` on one field with Autotask's string equality. */
function fakeApi(records: EntityRecord[], field: string) {
  const queries: Filter[][] = [];
  return {
    queries,
    query(q: QueryInput): AsyncIterable<EntityRecord> {
      const body = buildQueryBody(q); // the real limits apply
      queries.push(body.filter);
      const cond = body.filter[0] as { op: string; value: unknown };
      const wanted = new Set(
        (Array.isArray(cond.value) ? cond.value : [cond.value]).map((v) => normaliseLookupValue(v as string)),
      );
      const hits = records.filter((r) => wanted.has(normaliseLookupValue(r[field] as string)));
      return {
        [Symbol.asyncIterator]: () => {
          const it = hits[Symbol.iterator]();
          return { next: () => Promise.resolve(it.next()) };
        },
      };
    },
  };
}

describe('findByValues (property)', () => {
  it('asks for each distinct key once, in batches of ≤ 500, and files every match under its key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[A-Za-z]{1,4} ?$/), { maxLength: 1400 }),
        fc.array(fc.stringMatching(/^[a-z]{1,4}$/), { maxLength: 50 }),
        fc.integer({ min: 1, max: 500 }),
        async (values, stored, batchSize) => {
          const records = stored.map((name, i) => ({ id: i + 1, name }));
          const api = fakeApi(records, 'name');
          const result = await findByValues(api, 'name', values, { batchSize });
          const distinct = new Set(values.map((v) => normaliseLookupValue(v)));
          expect(new Set(result.keys())).toEqual(distinct);
          expect(api.queries.length).toBe(Math.ceil(distinct.size / batchSize));
          const sent = api.queries.flatMap((f): unknown[] => {
            const c = f[0] as { value: unknown };
            return Array.isArray(c.value) ? (c.value as unknown[]) : [c.value];
          });
          expect(sent.length).toBe(distinct.size);
          for (const [key, found] of result) {
            expect(found.map((r) => r.id)).toEqual(
              records.filter((r) => normaliseLookupValue(r.name) === key).map((r) => r.id),
            );
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('leaves room for the OR conditions of an extra filter', async () => {
    const api = fakeApi([], 'name');
    const extra: Filter[] = [{ op: 'in', field: 'companyType', value: [1, 2, 3] }];
    await findByValues(
      api,
      'name',
      Array.from({ length: 1000 }, (_, i) => `n${i}`),
      { filter: extra },
    );
    expect(api.queries.map((f) => (f[0] as { value: unknown[] }).value.length)).toEqual([497, 497, 6]);
  });

  it('reads fields case-insensitively and UDFs from userDefinedFields', () => {
    const r: EntityRecord = {
      id: 1,
      EmailAddress: 'x',
      userDefinedFields: [{ name: 'Customer No', value: '7' }],
    };
    expect(fieldValue(r, 'emailAddress', false)).toBe('x');
    expect(fieldValue(r, 'customer no', true)).toBe('7');
    expect(fieldValue(r, 'missing', true)).toBeUndefined();
  });
});
