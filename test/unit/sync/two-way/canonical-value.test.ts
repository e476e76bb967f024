import { describe, expect, it } from 'vitest';

import {
  autotaskValue,
  canonicalValue,
  sqlValue,
  udfWireValue,
} from '../../../../src/sync/two-way/canonical-value.js';

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

describe('date-only values (data type date)', () => {
  it('compare as the calendar date, whatever the spelling or the time zone', () => {
    const autotask = canonicalValue('2026-11-15T00:00:00Z', 'date');
    expect(autotask).toBe('2026-11-15');
    expect(canonicalValue('2026-11-15', 'date')).toBe(autotask);
    expect(canonicalValue('2026-11-15 00:00:00', 'date')).toBe(autotask);
    expect(canonicalValue(new Date('2026-11-15T00:00:00Z'), 'date')).toBe(autotask);
    // as written: a date is never shifted by an offset
    expect(canonicalValue('2026-11-15T00:00:00+05:00', 'date')).toBe(autotask);
    expect(canonicalValue('2026-11-16', 'date')).not.toBe(autotask);
  });

  it('are sent to Autotask at midnight and written to the table as the date', () => {
    expect(autotaskValue('2026-11-15', 'date')).toBe('2026-11-15T00:00:00Z');
    expect(sqlValue('2026-11-15', 'date')).toBe('2026-11-15');
  });
});

describe('udfWireValue', () => {
  it('sends every UDF value as text', () => {
    expect(udfWireValue('12.5', 'decimal')).toBe('12.5');
    expect(udfWireValue('true', 'boolean')).toBe('true');
    expect(udfWireValue('2027-03-31', 'date')).toBe('2027-03-31T00:00:00Z');
    expect(udfWireValue(null, 'string')).toBeNull();
  });
});
