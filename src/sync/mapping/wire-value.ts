/**
 * A mapped value converted to what the target field takes on the wire, per its metadata: picklists
 * by label or value; integers in range; decimals; booleans `true`/`false`; datetimes in Autotask's UTC
 * format (date-only fields keep the calendar date, at midnight, unshifted); text checked against the
 * field's length and, for email fields, against email syntax; text loses the spaces around it. UDF
 * values are then sent as text.
 */
import { formatAutotaskDateTime, parseAutotaskDateTime } from '../../autotask/datetime.js';
import { isEmailAddress } from './email-address.js';
import { parseNumberText } from './number-text.js';
import { resolvePicklist } from './picklist.js';
import { TransformError } from './transform-error.js';
import type { TargetType, WireValue } from './types.js';
import { DateValue, asText, shorten } from './values.js';

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  short: [-32_768, 32_767],
  integer: [-2_147_483_648, 2_147_483_647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Converts a non-empty `value` for `target`; throws `TransformError` when it does not fit. */
export function toWireValue(type: TargetType, value: unknown, target: string): Exclude<WireValue, null> {
  if (type.picklist) {
    const entry = resolvePicklist(type.picklist, value, target);
    return INTEGER_RANGES[type.dataType] ? Number(entry.value) : entry.value;
  }
  switch (type.dataType) {
    case 'short':
    case 'integer':
    case 'long':
      return toInteger(type, value, target);
    case 'double':
    case 'decimal':
      return toDecimal(value, target);
    case 'boolean':
      return toBoolean(value, target);
    case 'datetime':
    case 'date':
      return toDateTime(type.dateOnly || type.dataType === 'date', value, target);
    case 'string':
      return toText(type, value, target);
  }
}

/** UDFs take text on the wire: numbers as written, booleans `true`/`false`, dates in UTC format. */
export function toUdfWireValue(type: TargetType, value: unknown, target: string): string {
  const wire = toWireValue(type, value, target);
  return typeof wire === 'number' ? plainNumber(wire) : String(wire);
}

/** A number without exponent notation (`1e21` → `1000000000000000000000`, `1e-7` → `0.0000001`). */
export function plainNumber(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;
  const [mantissa = '', exp = '0'] = text.toLowerCase().split('e');
  const negative = mantissa.startsWith('-');
  const [intPart = '', frac = ''] = mantissa.replace('-', '').split('.');
  const digits = intPart + frac;
  const point = intPart.length + Number(exp);
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + body;
}

function toInteger(type: TargetType, value: unknown, target: string): number {
  const dataType = type.dataType;
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string') n = parseNumberText(value, '.');
  if (n === undefined || !Number.isInteger(n)) {
    throw new TransformError(
      'INTEGER_INVALID',
      `${target} takes a whole number; got "${shorten(value)}"`,
      type.reference !== undefined
        ? `give the ${type.reference.toLowerCase()}'s Autotask id, or add \`ref: ${type.reference}\` to the mapping to look it up`
        : 'give a whole number; for yes/no text add `transform: [boolean]`, for labels use a value map',
    );
  }
  const [min, max] = INTEGER_RANGES[dataType] ?? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
  if (n < min || n > max) {
    throw new TransformError(
      'INTEGER_OUT_OF_RANGE',
      `${target} takes ${min} to ${max}; got ${n}`,
      'correct the value in the source',
    );
  }
  return n;
}

function toDecimal(value: unknown, target: string): number {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string') n = parseNumberText(value, '.');
  if (n === undefined || !Number.isFinite(n)) {
    throw new TransformError(
      'NUMBER_INVALID',
      `${target} takes a number; got "${shorten(value)}"`,
      'add `transform: [number]` (with `{ type: number, decimal: "," }` for a decimal comma), or correct the source',
    );
  }
  return n;
}

function toBoolean(value: unknown, target: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  const t = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new TransformError(
    'BOOLEAN_INVALID',
    `${target} takes true or false; got "${shorten(value)}"`,
    'add `transform: [boolean]` to read yes/no, y/n, x (or list your own words)',
  );
}

function toDateTime(dateOnly: boolean, value: unknown, target: string): string {
  if (value instanceof DateValue) {
    return dateOnly ? `${value.calendarDate}T00:00:00Z` : formatAutotaskDateTime(value.utcMs);
  }
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return dateOnly
      ? `${value.toISOString().slice(0, 10)}T00:00:00Z`
      : formatAutotaskDateTime(value.getTime());
  }
  if (typeof value === 'string') {
    const text = value.trim();
    const ms = parseAutotaskDateTime(text);
    if (ms !== undefined) {
      // Date-only: keep the calendar date as written, whatever offset follows it.
      return dateOnly ? `${text.slice(0, 10)}T00:00:00Z` : formatAutotaskDateTime(ms);
    }
  }
  throw new TransformError(
    'DATE_INVALID',
    `${target} takes a date; "${shorten(value)}" is not an ISO date (YYYY-MM-DD or YYYY-MM-DDTHH:mm:ssZ)`,
    'add a date transform with the source format, e.g. `{ type: date, format: DD/MM/YYYY, timeZone: Europe/London }`',
  );
}

function toText(type: TargetType, value: unknown, target: string): string {
  // Spaces around a value are spreadsheet debris ("Acme " from Excel): never sent, so they neither
  // rename a record nor count as a change. Spaces and line breaks inside the value are kept.
  const text = (
    value instanceof DateValue && value.hasTime ? formatAutotaskDateTime(value.utcMs) : asText(value)
  ).trim();
  if (type.length > 0 && text.length > type.length) {
    throw new TransformError(
      'TOO_LONG',
      `${target} takes at most ${type.length} characters; the value has ${text.length} ("${shorten(text, 40)}")`,
      'shorten it in the source, or add `truncate` to the transforms to cut it',
    );
  }
  if (type.email) {
    const address = text;
    if (!isEmailAddress(address)) {
      throw new TransformError(
        'EMAIL_INVALID',
        // The issue names the field already (`emailAddress (column "Email"): ...`).
        `"${shorten(text)}" is not a valid email address`,
        'correct the address in the source (name@example.com), or check that the column mapped is the email column',
      );
    }
    return address;
  }
  return text;
}
