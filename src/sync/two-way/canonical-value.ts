/**
 * Values of both systems brought to one comparable form, in Autotask's terms: `null` for empty, and
 * otherwise text chosen by the Autotask field's data type (booleans `true`/`false`, numbers without
 * trailing zeros, datetimes as ISO 8601 UTC, text without trailing spaces, which Autotask ignores).
 * `1` in SQLite and `true` in Autotask are then the same boolean; `12.50` from PostgreSQL's numeric
 * and `12.5` from Autotask the same decimal. Date-only fields (data type `date`: an Autotask datetime
 * with date-only meaning such as an opportunity's `projectedCloseDate`, or a date UDF) compare as the
 * calendar date `YYYY-MM-DD`: Autotask keeps them at midnight with no time zone (API doc §6.6), so
 * `2026-11-15T00:00:00Z` and a `DATE` column's `2026-11-15` are the same value.
 */

/** A field's value in comparable form. */
export type Canonical = string | null;

/** Autotask data types handled specially; any other is compared as text. */
const NUMERIC = new Set(['integer', 'short', 'long', 'double', 'decimal']);
const TIMES = new Set(['datetime']);
/** The pseudo data type of date-only values (see `compile-two-way.ts`). */
export const DATE_ONLY = 'date';
const CALENDAR_DATE = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/u;

/** Text of any value: objects as JSON, dates as ISO 8601. */
function textOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? '';
}

export function canonicalValue(value: unknown, dataType: string | undefined): Canonical {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  if (dataType === 'boolean') {
    if (typeof value === 'boolean') return String(value);
    const text = textOf(value).trim().toLowerCase();
    if (['1', 'true', 'yes', 'y', 't'].includes(text)) return 'true';
    if (['0', 'false', 'no', 'n', 'f'].includes(text)) return 'false';
    return text;
  }
  if (dataType !== undefined && NUMERIC.has(dataType)) {
    const n = typeof value === 'boolean' ? Number(value) : Number(textOf(value).trim());
    return Number.isFinite(n) ? String(n) : textOf(value);
  }
  if (dataType === DATE_ONLY) return calendarDate(value);
  if (dataType !== undefined && TIMES.has(dataType)) {
    const ms = value instanceof Date ? value.getTime() : Date.parse(textOf(value));
    return Number.isNaN(ms) ? textOf(value) : new Date(ms).toISOString();
  }
  return textOf(value).replace(/\s+$/u, '');
}

/** `YYYY-MM-DD` of a date-only value: the date as written, never shifted by a time zone. */
function calendarDate(value: unknown): Canonical {
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? textOf(value) : value.toISOString().slice(0, 10);
  const text = textOf(value).trim();
  const written = CALENDAR_DATE.exec(text)?.[1];
  if (written !== undefined) return written;
  const ms = typeof value === 'number' ? value : Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString().slice(0, 10);
}

/** The value to send to Autotask for a canonical value. */
export function autotaskValue(canonical: Canonical, dataType: string | undefined): unknown {
  if (canonical === null) return null;
  if (dataType === DATE_ONLY) return CALENDAR_DATE.test(canonical) ? `${canonical}T00:00:00Z` : canonical;
  if (dataType === 'boolean') return canonical === 'true';
  if (dataType !== undefined && NUMERIC.has(dataType)) {
    const n = Number(canonical);
    return Number.isFinite(n) ? n : canonical;
  }
  return canonical;
}

/** The value to write to a SQL column for a canonical value (drivers convert text as the column needs). */
export function sqlValue(canonical: Canonical, dataType: string | undefined): unknown {
  if (canonical === null) return null;
  if (dataType === 'boolean') return canonical === 'true';
  if (dataType !== undefined && NUMERIC.has(dataType)) {
    const n = Number(canonical);
    return Number.isFinite(n) ? n : canonical;
  }
  return canonical;
}

/**
 * The text of a user-defined field's value on the wire (`userDefinedFields: [{ name, value }]`): UDF
 * values always travel as strings (API doc §7); booleans as `true`/`false`, numbers without trailing
 * zeros, dates as Autotask datetimes.
 */
export function udfWireValue(canonical: Canonical, dataType: string | undefined): string | null {
  if (canonical === null) return null;
  const value = autotaskValue(canonical, dataType);
  return typeof value === 'string' ? value : String(value);
}

/** Whether a canonical value counts as empty (the system of record may be filled by another system). */
export function isEmpty(value: Canonical | undefined): boolean {
  return value === null || value === undefined;
}
