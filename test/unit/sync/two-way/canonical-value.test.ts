import { describe, expect, it } from 'vitest';

import { autotaskValue, canonicalValue, sqlValue } from '../../../../src/sync/two-way/canonical-value.js';

describe('canonicalValue', () => {
  it('makes equal what both systems mean alike', () => {
    expect(canonicalValue(1, 'boolean')).toBe(canonicalValue(true, 'boolean'));
    expect(canonicalValue('12.50', 'decimal')).toBe(canonicalValue(12.5, 'decimal'));
    expect(canonicalValue(new Date('2026-03-01T10:00:00Z'), 'datetime')).toBe(
      canonicalValue('2026-03-01T10:00:00.000Z', 'datetime'),
    );
    expect(canonicalValue('Acme  ', 'string')).toBe('Acme');
    expect(canonicalValue('', 'string')).toBeNull();
    expect(canonicalValue(undefined, 'integer')).toBeNull();
  });

  it('keeps apart what differs', () => {
    expect(canonicalValue('Acme', 'string')).not.toBe(canonicalValue('acme', 'string'));
    expect(canonicalValue(0, 'boolean')).not.toBe(canonicalValue(1, 'boolean'));
  });

  it('converts back to each side', () => {
    expect(autotaskValue('true', 'boolean')).toBe(true);
    expect(autotaskValue('12.5', 'decimal')).toBe(12.5);
    expect(autotaskValue(null, 'string')).toBeNull();
    expect(sqlValue('3', 'integer')).toBe(3);
    expect(sqlValue('x', 'string')).toBe('x');
  });
});
