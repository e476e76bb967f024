import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { interpolateString, isOnlyReferences } from '../../../src/config/interpolate.js';
import { closest, editDistance } from '../../../src/shared/suggest.js';

describe('interpolateString', () => {
  const env = { A: 'alpha', EMPTY: '', B_2: 'b' };

  it.each([
    ['${A}', 'alpha'],
    ['x-${A}-${B_2}', 'x-alpha-b'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY}', ''],
    ['$${A}', '${A}'],
    ['cost: $5', 'cost: $5'],
  ])('%s → %s', (input, expected) => {
    const result = interpolateString(input, env);
    expect(result.value).toBe(expected);
    expect(result.problems).toEqual([]);
  });

  it('reports unset variables and invalid names', () => {
    expect(interpolateString('${NOPE}', env).problems.map((p) => p.variable)).toEqual(['NOPE']);
    expect(interpolateString('${1BAD}', env).problems[0]?.message).toMatch(/not a valid reference/);
  });

  it('leaves text without references unchanged (property)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('${')),
        (s) => {
          expect(interpolateString(s, env).value).toBe(s);
        },
      ),
    );
  });

  it('tells pure references from text that may hold a secret', () => {
    expect(isOnlyReferences('${AUTOTASK_TOKEN}')).toBe(true);
    expect(isOnlyReferences(' ${A}${B} ')).toBe(true);
    expect(isOnlyReferences('${A:-}')).toBe(true);
    expect(isOnlyReferences('${A:-literal}')).toBe(false);
    expect(isOnlyReferences('abc${A}')).toBe(false);
    expect(isOnlyReferences('$${A}')).toBe(false);
  });
});

describe('did-you-mean', () => {
  it('counts a swap of neighbouring letters as one edit, ignoring case', () => {
    expect(editDistance('cvs', 'csv')).toBe(1);
    expect(editDistance('Company', 'company')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests only plausible typos', () => {
    expect(closest('budgte', ['budget', 'state'])).toBe('budget');
    expect(closest('upsrt', ['create', 'update', 'upsert'])).toBe('upsert');
    expect(closest('zzzzzz', ['budget', 'state'])).toBeUndefined();
  });
});
