import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { canonicalJson, payloadHash } from '../../../../src/sync/keys/index.js';

describe('payloadHash', () => {
  it('ignores key order, UDF order, undefined members and the sign of zero', () => {
    const a = {
      companyName: 'Acme',
      phone: '1',
      amount: 0,
      userDefinedFields: [
        { name: 'B', value: '2' },
        { name: 'A', value: null },
      ],
    };
    const b = {
      userDefinedFields: [
        { name: 'A', value: null },
        { name: 'B', value: '2' },
      ],
      amount: -0,
      phone: '1',
      skipped: undefined,
      companyName: 'Acme',
    };
    expect(payloadHash(a)).toBe(payloadHash(b));
    expect(payloadHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[unknown, unknown]>([
    [{ a: 1 }, { a: '1' }],
    [{ a: null }, {}],
    [{ a: [1, 2] }, { a: [2, 1] }], // ordinary arrays keep their order
    [{ a: 'x' }, { a: 'X' }],
    [{ userDefinedFields: [{ name: 'A', value: '1' }] }, { userDefinedFields: [{ name: 'A', value: '2' }] }],
  ])('tells %j from %j', (x, y) => {
    expect(payloadHash(x)).not.toBe(payloadHash(y));
  });

  it('is the same for any key order (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
        (obj) => {
          const reversed = Object.fromEntries(Object.entries(obj).reverse());
          expect(payloadHash(reversed)).toBe(payloadHash(obj));
          expect(JSON.parse(canonicalJson(obj))).toEqual(obj);
        },
      ),
    );
  });
});
