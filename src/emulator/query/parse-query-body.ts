/**
 * Reads the query body (`{filter, MaxRecords, IncludeFields}`, keys in any case, §4.1).
 * `MaxRecords` must be 1–500 (default 500); numeric strings are accepted as JSON.NET would. Out of
 * range is an error by default, so clients learn the limit; above 500 may instead be clamped to 500
 * (`maxRecordsAboveLimit: 'clamp'`), since Autotask's behaviour is unknown (§14 item 5).
 */
import { getKey, isPlainObject } from './case-insensitive-keys.js';
import { QUERY_MESSAGES, queryError } from './query-errors.js';

export const MAX_RECORDS_LIMIT = 500;

export interface ParsedQueryBody {
  /** The top-level conditions (AND-ed); not yet validated against the schema. */
  filter: unknown[];
  /** Page size, 1–500. */
  maxRecords: number;
  /** Requested field/UDF names as sent; `undefined` or empty = all fields. */
  includeFields: string[] | undefined;
}

export interface ParseQueryOptions {
  /** MaxRecords above 500: an error, or clamped to 500. @default 'error' */
  maxRecordsAboveLimit?: 'error' | 'clamp';
}

export function parseQueryBody(body: unknown, options: ParseQueryOptions = {}): ParsedQueryBody {
  if (!isPlainObject(body)) throw queryError(QUERY_MESSAGES.notAnObject());
  const filter = getKey(body, 'filter');
  if (filter === undefined || filter === null) throw queryError(QUERY_MESSAGES.missingFilter());
  if (!Array.isArray(filter)) throw queryError(QUERY_MESSAGES.filterNotArray());
  if (filter.length === 0) throw queryError(QUERY_MESSAGES.missingFilter());
  return {
    filter,
    maxRecords: parseMaxRecords(getKey(body, 'maxRecords'), options.maxRecordsAboveLimit ?? 'error'),
    includeFields: parseIncludeFields(getKey(body, 'includeFields')),
  };
}

function parseMaxRecords(raw: unknown, aboveLimit: 'error' | 'clamp'): number {
  if (raw === undefined || raw === null) return MAX_RECORDS_LIMIT;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (aboveLimit === 'clamp' && typeof n === 'number' && Number.isInteger(n) && n > MAX_RECORDS_LIMIT) {
    return MAX_RECORDS_LIMIT;
  }
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_RECORDS_LIMIT) {
    throw queryError(QUERY_MESSAGES.maxRecordsOutOfRange(raw));
  }
  return n;
}

function parseIncludeFields(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.some((f) => typeof f !== 'string')) {
    throw queryError(QUERY_MESSAGES.includeFieldsNotArray());
  }
  return raw.length === 0 ? undefined : (raw as string[]);
}
