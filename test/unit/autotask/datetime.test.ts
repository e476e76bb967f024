import { describe, expect, it } from 'vitest';

import { formatAutotaskDateTime, parseAutotaskDateTime } from '../../../src/autotask/datetime.js';

describe('Autotask datetimes', () => {
  it.each([
    ['2019-11-25T15:47:59.167Z', '2019-11-25T15:47:59.167Z'],
    ['2023-05-04T08:53:10.000Z', '2023-05-04T08:53:10Z'],
    ['2023-03-17T10:32:29.520Z', '2023-03-17T10:32:29.52Z'],
  ])('formats %s as %s', (iso, expected) => {
    expect(formatAutotaskDateTime(Date.parse(iso))).toBe(expected);
  });

  it.each([
    ['2023-10-09T02:00:00.00', Date.UTC(2023, 9, 9, 2)],
    ['2023-10-09T02:00:00Z', Date.UTC(2023, 9, 9, 2)],
    ['2023-10-09', Date.UTC(2023, 9, 9)],
    ['2023-10-09T04:00:00+02:00', Date.UTC(2023, 9, 9, 2)],
  ])('parses %s as UTC', (text, ms) => {
    expect(parseAutotaskDateTime(text)).toBe(ms);
  });

  it.each(['yesterday', '2023-02-30', '', '2023-13-01'])('rejects %j', (text) => {
    expect(parseAutotaskDateTime(text)).toBeUndefined();
  });
});
