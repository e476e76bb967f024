import { describe, expect, it } from 'vitest';

import {
  detectUpdatedAtFormat,
  formatUpdatedAt,
  updatedAtMs,
} from '../../../../src/connectors/sql-system/updated-at.js';

describe('updated-at values', () => {
  const ms = Date.UTC(2026, 10, 27, 11, 30, 15, 250);

  it('reads each stored format as epoch ms and writes it back in the same format', () => {
    for (const value of [
      new Date(ms),
      '2026-11-27T11:30:15.250Z',
      '2026-11-27 11:30:15.250',
      ms,
      String(ms),
    ]) {
      const format = detectUpdatedAtFormat(value);
      expect(format).toBeDefined();
      expect(updatedAtMs(value)).toBe(ms);
      expect(updatedAtMs(formatUpdatedAt(ms, format!))).toBe(ms);
    }
    expect(updatedAtMs(Math.floor(ms / 1000))).toBe(Math.floor(ms / 1000) * 1000);
    expect(detectUpdatedAtFormat('2026-11-27 11:30:15')).toBe('sqlite-text');
  });

  it('treats empty values as unknown', () => {
    expect(updatedAtMs(null)).toBeUndefined();
    expect(updatedAtMs('')).toBeUndefined();
    expect(updatedAtMs('not a date')).toBeUndefined();
  });
});
