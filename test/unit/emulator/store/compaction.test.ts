import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  HashIndex,
  InMemoryEntityTable,
  StringInterner,
  compactRecord,
  compactValues,
} from '../../../../src/emulator/store/index.js';

describe('compactRecord', () => {
  it('drops null and undefined values and keeps everything else', () => {
    const r = compactRecord({
      id: 5,
      values: { a: 'x', b: null, c: undefined, d: 0, e: false, f: '' },
      udfs: { U: null, V: '1.0000' },
    });
    expect(r).toEqual({ id: 5, values: { a: 'x', d: 0, e: false, f: '' }, udfs: { V: '1.0000' } });
  });

  it('shares one frozen udfs object between records without UDF values', () => {
    const a = compactRecord({ id: 1, values: {}, udfs: {} });
    const b = compactRecord({ id: 2, values: {}, udfs: { X: null } });
    expect(a.udfs).toBe(b.udfs);
    expect(Object.isFrozen(a.udfs)).toBe(true);
    expect(() => {
      (a.udfs as Record<string, string>)['X'] = 'y';
    }).toThrow(TypeError);
  });

  it('makes equal strings within a record one instance, and copies rather than aliases the input', () => {
    const input = { lastActivityDate: '2025-01-01T00:00:00Z', lastModifiedDate: '2025-01-01T00:00:00Z' };
    const values = compactValues(input);
    expect(values).toEqual(input);
    expect(values).not.toBe(input);
  });
});

describe('StringInterner', () => {
  it('returns one shared instance per value and field', () => {
    const interner = new StringInterner();
    const a = interner.intern('city', JSON.parse('"Springfield Heights"') as string);
    const b = interner.intern('city', JSON.parse('"Springfield Heights"') as string);
    expect(b).toBe(a);
  });

  it('stops interning a field after maxDistinct values and never interns long strings', () => {
    const interner = new StringInterner({ maxDistinct: 2, maxLength: 5 });
    expect(interner.intern('f', 'a')).toBe('a');
    expect(interner.intern('f', 'b')).toBe('b');
    expect(interner.intern('f', 'c')).toBe('c'); // third distinct value: field given up
    expect(interner.intern('f', 'a')).toBe('a'); // still correct, just not shared any more
    expect(interner.intern('g', 'toolong')).toBe('toolong');
  });
});

describe('HashIndex', () => {
  it('finds exactly the ids whose current value matches, through collisions, growth and tombstones', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 300 }), fc.constantFrom('a', 'A ', 'b', 'c', 7, 8, null)),
          {
            maxLength: 300,
          },
        ),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 100 }),
        (puts, removals) => {
          const current = new Map<number, unknown>();
          const index = new HashIndex('f', (id) => current.get(id));
          for (const [id, value] of puts) {
            if (current.has(id)) index.remove(id, current.get(id));
            current.set(id, value);
            index.add(id, value);
          }
          for (const id of removals) {
            if (!current.has(id)) continue;
            index.remove(id, current.get(id));
            current.delete(id);
          }
          for (const probe of ['a', 'b', 'c', 7, 8, 'z']) {
            const expected = [...current]
              .filter(([, v]) => (typeof v === 'string' ? v.trimEnd().toLowerCase() : v) === probe)
              .map(([id]) => id)
              .sort((x, y) => x - y);
            expect(index.find(probe).sort((x, y) => x - y)).toEqual(expected);
          }
          expect(index.find(null)).toEqual([]);
        },
      ),
    );
  });
});

describe('InMemoryEntityTable ids', () => {
  it('accepts 32-bit non-negative integer ids only', () => {
    const t = new InMemoryEntityTable({ entity: 'Companies' });
    t.insert({ id: 0, values: {}, udfs: {} });
    t.insert({ id: 2 ** 31 - 1, values: {}, udfs: {} });
    for (const id of [-1, 1.5, 2 ** 31])
      expect(() => t.insert({ id, values: {}, udfs: {} })).toThrow(/ids must be integers/);
  });
});
