/**
 * JSON.NET-style reading of a write body (API doc §3.4, §13 item 10): property names match the
 * entity's fields case-insensitively, unknown properties are ignored, and values are converted the
 * way JSON.NET converts them into the server's typed model (`"True"` → true, `"12"` → 12, `12` → "12"
 * for a string field). Values JSON.NET refuses produce its messages, e.g. a JSON boolean sent to
 * Contact `isActive` (an integer) → "Unexpected character encountered while parsing value: t. Path
 * 'isActive', line 1, position 58." (observed wording; line/position are computed from the raw body
 * for flat objects and approximate otherwise).
 */
import { formatAutotaskDateTime, parseAutotaskDateTime } from '../autotask/datetime.js';
import { parseJsonNet } from './json-net-parse.js';
import { parseMicrosoftJsonDate } from './microsoft-json-date.js';
import type { FieldDataType, FieldInformation, UserDefinedFieldValue } from '../autotask/types.js';
import { AutotaskBusinessError } from './contracts.js';

/** A write body read against an entity's fields. */
export interface CoercedBody {
  /** `id` from the body, if any (null and absent → undefined). */
  id: number | undefined;
  /**
   * Writable fields present in the body, by their canonical (metadata) name, with converted values
   * (datetimes normalised to Autotask's UTC format). Read-only fields are dropped after conversion.
   */
  values: Map<string, unknown>;
  /** `userDefinedFields` entries as sent (names not yet matched), or undefined when absent. */
  udfs: UserDefinedFieldValue[] | undefined;
}

interface Located {
  key: string;
  raw: string;
}

/** "Path 'x', line L, position P." for the first occurrence of `"key":` in the raw body. */
function location({ key, raw }: Located): string {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`"${escaped}"\\s*:\\s*`).exec(raw);
  let index = m ? m.index + m[0].length : 0;
  if (index > raw.length) index = raw.length;
  const before = raw.slice(0, index);
  const line = before.split('\n').length;
  const column = index - (before.lastIndexOf('\n') + 1) + 1;
  return `Path '${key}', line ${line}, position ${column}.`;
}

function fail(message: string): never {
  throw new AutotaskBusinessError([message]);
}

function tokenChar(value: unknown): string {
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (Array.isArray(value)) return '[';
  if (value !== null && typeof value === 'object') return '{';
  return String(value).charAt(0);
}

function unexpected(value: unknown, at: Located): never {
  return fail(`Unexpected character encountered while parsing value: ${tokenChar(value)}. ${location(at)}`);
}

const INTEGER_RANGES: Partial<Record<FieldDataType, [number, number, string]>> = {
  short: [-32768, 32767, 'Int16'],
  integer: [-2147483648, 2147483647, 'Int32'],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'Int64'],
};

function toInteger(type: FieldDataType, value: unknown, at: Located): number | null {
  let n: number;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) fail(`Input string '${value}' is not a valid integer. ${location(at)}`);
    n = value;
  } else if (typeof value === 'string') {
    const s = value.trim();
    if (s === '') return null;
    if (!/^[+-]?\d+$/.test(s)) fail(`Could not convert string to integer: ${value}. ${location(at)}`);
    n = Number(s);
  } else {
    return unexpected(value, at);
  }
  const [min, max, name] = INTEGER_RANGES[type] ?? INTEGER_RANGES.long!;
  if (n < min || n > max) fail(`JSON integer ${n} is too large or small for an ${name}. ${location(at)}`);
  return n;
}

function toNumber(type: FieldDataType, value: unknown, at: Located): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const s = value.trim();
    if (s === '') return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
      fail(`Could not convert string to ${type}: ${value}. ${location(at)}`);
    }
    return Number(s);
  }
  return unexpected(value, at);
}

function toBoolean(value: unknown, at: Located): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === '') return null;
    if (s === 'true') return true;
    if (s === 'false') return false;
    fail(`Could not convert string to boolean: ${value}. ${location(at)}`);
  }
  return unexpected(value, at);
}

function toDateTime(value: unknown, at: Located): string | null {
  if (typeof value === 'string') {
    if (value.trim() === '') return null;
    const ms = parseAutotaskDateTime(value) ?? parseMicrosoftJsonDate(value);
    if (ms === undefined) fail(`Could not convert string to DateTime: ${value}. ${location(at)}`);
    return formatAutotaskDateTime(ms);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    const token = typeof value === 'number' ? (Number.isInteger(value) ? 'Integer' : 'Float') : 'Boolean';
    fail(`Error reading date. Unexpected token: ${token}. ${location(at)}`);
  }
  return unexpected(value, at);
}

function toStringValue(value: unknown, at: Located): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return unexpected(value, at);
}

/** Converts one value to a field's data type as JSON.NET would; `key` is the property as sent. */
export function coerceValue(type: FieldDataType, value: unknown, key: string, raw: string): unknown {
  if (value === null || value === undefined) return null;
  const at = { key, raw };
  switch (type) {
    case 'string':
      return toStringValue(value, at);
    case 'integer':
    case 'long':
    case 'short':
      return toInteger(type, value, at);
    case 'double':
    case 'decimal':
      return toNumber(type, value, at);
    case 'boolean':
      return toBoolean(value, at);
    case 'datetime':
    case 'date':
      return toDateTime(value, at);
  }
}

/** UDF values are strings on the wire (§7); numbers and booleans are converted, objects refused. */
function coerceUdfs(value: unknown, key: string, raw: string): UserDefinedFieldValue[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) return unexpected(value, { key, raw });
  return value.map((entry, i) => {
    const path = `${key}[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      return unexpected(entry, { key: path, raw });
    }
    let name: unknown;
    let udfValue: unknown = null;
    for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
      if (k.toLowerCase() === 'name') name = v;
      else if (k.toLowerCase() === 'value') udfValue = v;
    }
    if (typeof name !== 'string' || name.trim() === '') {
      fail(`Each entry of userDefinedFields needs a "name". Path '${path}'.`);
    }
    return {
      name,
      value: udfValue === null || udfValue === undefined ? null : toStringValue(udfValue, { key: path, raw }),
    };
  });
}

/**
 * Reads a parsed JSON write body against `fields`. `raw` is the body text (for error locations).
 * Throws `AutotaskBusinessError` with JSON.NET's wording for values it cannot convert.
 */
export function coerceBody(fields: readonly FieldInformation[], body: unknown, raw: string): CoercedBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    fail(
      `The request body must be a JSON object with the entity's fields. Unexpected character encountered while parsing value: ${tokenChar(body)}. Path '', line 1, position 1.`,
    );
  }
  const byLower = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  const values = new Map<string, unknown>();
  let id: number | undefined;
  let udfs: UserDefinedFieldValue[] | undefined;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const lower = key.toLowerCase();
    if (lower === 'userdefinedfields') {
      udfs = coerceUdfs(value, key, raw);
      continue;
    }
    if (lower === 'id') {
      const n = coerceValue('long', value, key, raw);
      id = typeof n === 'number' ? n : undefined;
      continue;
    }
    const field = byLower.get(lower);
    if (!field) continue; // JSON.NET ignores members the model does not have.
    const converted = coerceValue(field.dataType, value, key, raw);
    if (!field.isReadOnly) values.set(field.name, converted);
  }
  return { id, values, udfs };
}

/**
 * Parses a request body as JSON.NET reads it (`json-net-parse.ts`: a byte-order mark, single quotes and
 * unquoted property names are accepted). An empty body gives `undefined`; malformed JSON gives
 * JSON.NET-like wording (emulator-invented detail after the first sentence).
 */
export function parseJsonBody(raw: string): unknown {
  if (raw.replace(/^\uFEFF/, '').trim() === '') return undefined;
  try {
    return parseJsonNet(raw);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return fail(
      `Unexpected character encountered while parsing value. The request body is not valid JSON: ${detail}`,
    );
  }
}
