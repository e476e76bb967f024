import { describe, expect, it } from 'vitest';

import { KeyHashSet } from '../../../../src/sync/engine/key-hash-set.js';

describe('KeyHashSet', () => {
  it('tells a new key from one seen before, and returns the value stored with the first', () => {
    const set = new KeyHashSet();
    expect(set.addOrGet('name:acme', 7)).toBe(-1);
    expect(set.addOrGet('name:acme', 9)).toBe(7);
    expect(set.addOrGet('name:acme ', 3)).toBe(-1);
    expect(set.has('name:acme')).toBe(true);
    expect(set.has('name:acm')).toBe(false);
    expect(set.add('name:acme')).toBe(false);
    expect(set.add('')).toBe(true);
    expect(set.has('')).toBe(true);
    expect(set.size).toBe(3);
  });

  it('keeps every key and its value through many growths, and finds none it was not given', () => {
    const set = new KeyHashSet();
    const n = 200_000;
    for (let i = 0; i < n; i++) expect(set.addOrGet(`email:person.${i}@example.com`, i)).toBe(-1);
    expect(set.size).toBe(n);
    for (let i = 0; i < n; i += 997) expect(set.addOrGet(`email:person.${i}@example.com`, 0)).toBe(i);
    let strays = 0;
    for (let i = n; i < 2 * n; i++) if (set.has(`email:person.${i}@example.com`)) strays++;
    expect(strays).toBe(0);
    expect(set.size).toBe(n);
  });

  it('tells apart keys that differ only in case, accents or the order of their characters', () => {
    const set = new KeyHashSet();
    for (const key of ['ab', 'ba', 'AB', 'ab\u0000', 'åb', 'a\u030ab', '\u{1F600}', '\u{1F601}'])
      expect(set.add(key)).toBe(true);
    expect(set.size).toBe(8);
  });
});
