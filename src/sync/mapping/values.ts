/**
 * The in-between values a transform chain passes along, and how source values read as text.
 *
 * Empty means: missing, `null`, or text that is blank (only whitespace). An empty mapped value is left
 * out of the payload (so it never clears anything in Autotask) and lets a `default` apply on create.
 * `CLEAR` is the one way to send `null` and clear a field: `empty-to-null`, `value: null`, or a value
 * map entry whose replacement is `null`.
 */

/** Explicit "write null" marker. */
export const CLEAR: unique symbol = Symbol('clear');
export type Clear = typeof CLEAR;

/** A date read by the `date` transform: the instant in UTC and the calendar date as written. */
export class DateValue {
  constructor(
    /** The instant, converted from the source time zone to UTC. */
    readonly utcMs: number,
    /** `YYYY-MM-DD` as written in the source (what a date-only field keeps). */
    readonly calendarDate: string,
    /** The source gave a time of day. */
    readonly hasTime: boolean,
  ) {}
}

export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A source value as text: numbers and booleans in their usual form, dates in ISO-8601 UTC. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof DateValue) {
    return value.hasTime ? new Date(value.utcMs).toISOString() : value.calendarDate;
  }
  if (value === undefined || value === null || value === CLEAR) return '';
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return JSON.stringify(value);
}

/** `value` shortened for messages: at most `max` characters, control characters shown as spaces. */
export function shorten(value: unknown, max = 60): string {
  const text = (value === CLEAR ? 'null' : asText(value)).replace(/\p{Cc}/gu, ' ');
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
