import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { formatAutotaskDateTime, parseAutotaskDateTime } from '../../../../src/autotask/datetime.js';
import { parseUtcDateTime } from '../../../../src/emulator/query/parse-utc-datetime.js';

describe('parseUtcDateTime', () => {
  it('agrees with parseAutotaskDateTime on canonical values (fast path)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const text = formatAutotaskDateTime(ms);
        expect(parseUtcDateTime(text)).toBe(ms);
        expect(parseUtcDateTime(text)).toBe(parseAutotaskDateTime(text));
      }),
    );
  });

  it.each([
    ['2024-02-29T12:00:00Z', Date.UTC(2024, 1, 29, 12)],
    ['2023-03-17T10:32:29.52Z', Date.UTC(2023, 2, 17, 10, 32, 29, 520)],
    ['2023-03-17T10:32:29.5Z', Date.UTC(2023, 2, 17, 10, 32, 29, 500)],
    ['2023-10-09T02:00:00.00', Date.UTC(2023, 9, 9, 2)], // no Z: general parser, UTC
    ['2024-01-01T01:00:00+01:00', Date.UTC(2024, 0, 1)],
    ['2024-01-01', Date.UTC(2024, 0, 1)],
  ])('%s', (text, expected) => {
    expect(parseUtcDateTime(text)).toBe(expected);
  });

  it.each([
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:00:00.Z',
    'soon',
  ])('rejects %s', (text) => {
    expect(parseUtcDateTime(text)).toBeUndefined();
  });
});
