import type { SinkColumnType } from './sink.js';

/**
 * A value as a SQL driver should receive it for a column of `type`: `undefined` → null, `''` in a
 * non-text column → null, booleans → 1/0 when `booleansAsNumbers` (SQLite), objects and arrays → JSON.
 */
export function sqlValue(value: unknown, type: SinkColumnType, booleansAsNumbers: boolean): unknown {
  if (value === undefined || value === null) return null;
  if (value === '' && type !== 'string') return null;
  if (typeof value === 'boolean') return booleansAsNumbers ? (value ? 1 : 0) : value;
  if (typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value))
    return JSON.stringify(value);
  if (type === 'boolean' && typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === '1') return booleansAsNumbers ? 1 : true;
    if (lower === 'false' || lower === '0') return booleansAsNumbers ? 0 : false;
  }
  return value;
}

/** A value as text for a CSV cell: null/undefined → empty, objects → JSON, booleans → true/false. */
export function textValue(value: unknown): string | number {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}
