/**
 * How field values compare, by data type (API doc §4.3): strings case-insensitively, numbers
 * numerically, booleans as true/false/1/0, datetimes as UTC instants.
 */
import type { FieldDataType } from '../../autotask/types.js';
import { parseUtcDateTime } from './parse-utc-datetime.js';

export type ValueKind = 'string' | 'number' | 'boolean' | 'datetime';

export function kindOf(dataType: FieldDataType): ValueKind {
  switch (dataType) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'datetime':
    case 'date':
      return 'datetime';
    default:
      return 'number';
  }
}

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** A numeric string as a number (JSON.NET style: surrounding spaces allowed); `undefined` otherwise. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  return NUMERIC.test(t) ? Number(t) : undefined;
}

/**
 * A stored value (field or UDF) as its kind's comparable form: string, number, boolean or epoch ms.
 * `null` when absent or not convertible (UDF values are strings, e.g. numbers as "20.6400").
 */
export function readAs(kind: ValueKind, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'string':
      return textOf(value);
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'string') return parseNumber(value) ?? null;
      if (typeof value === 'boolean') return value ? 1 : 0;
      return null;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 1 || value === 0) return value === 1;
      if (typeof value === 'string') return parseBoolean(value) ?? null;
      return null;
    case 'datetime':
      if (typeof value === 'string') return parseUtcDateTime(value) ?? null;
      if (typeof value === 'number') return value;
      return null;
  }
}

/** `true`/`false`/`1`/`0` in any case; `undefined` for anything else. */
export function parseBoolean(text: string): boolean | undefined {
  switch (text.trim().toLowerCase()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      return undefined;
  }
}

/** A stored value's text form, as used by string operators (numbers and booleans as JSON shows them). */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}
