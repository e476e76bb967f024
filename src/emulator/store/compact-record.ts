/**
 * Compact copies of records for long-lived storage (the target is 100,000 records per entity in well
 * under 300 MB). Measured on seeded tenants, these steps take a record from ~870 to ~300 bytes:
 * - null values are dropped (rendering fills them);
 * - values are copied through `JSON.parse(JSON.stringify(...))`, which gives V8's most compact form: a
 *   "fast" object sized for its properties, and flat strings (objects filled one computed key at a time
 *   turn into hash tables past ~20 properties; strings built by concatenation or slicing keep their
 *   parts alive) — so values must be JSON values, i.e. the wire types;
 * - equal strings within a record share one instance (e.g. lastActivityDate = lastModifiedDate), and
 *   low-cardinality fields share strings across records (`StringInterner`).
 */
import type { StoredRecord } from '../contracts.js';
import type { StringInterner } from './string-interner.js';

/** Shared by every record without UDF values; frozen so that an accidental mutation throws. */
const NO_UDFS: Record<string, string | null> = Object.freeze({});

function isEmpty(obj: Readonly<Record<string, unknown>>): boolean {
  for (const _ in obj) return false;
  return true;
}

/** JSON text of `obj` without its null entries (JSON.stringify already leaves undefined ones out). */
function jsonWithoutNulls(obj: Readonly<Record<string, unknown>>): string {
  let hasNull = false;
  for (const key in obj) {
    if (obj[key] === null) {
      hasNull = true;
      break;
    }
  }
  if (!hasNull) return JSON.stringify(obj);
  let json = '';
  for (const key in obj) {
    const value = obj[key];
    if (value === null || value === undefined) continue;
    json += `${json === '' ? '{' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  return json === '' ? '{}' : `${json}}`;
}

/** `obj` without null/undefined entries, as a compact JSON copy with shared strings. */
export function compactValues<T>(
  obj: Readonly<Record<string, T | null | undefined>>,
  interner?: StringInterner,
): Record<string, T> {
  const copy = JSON.parse(jsonWithoutNulls(obj)) as Record<string, unknown>;
  const seen: string[] = [];
  for (const key in copy) {
    const value = copy[key];
    if (typeof value !== 'string') continue;
    const same = seen.find((s) => s === value);
    if (same !== undefined) copy[key] = same;
    else {
      const shared = interner ? interner.intern(key, value) : value;
      if (shared !== value) copy[key] = shared;
      seen.push(shared);
    }
  }
  return copy as Record<string, T>;
}

/** A compact copy of `record` for storage (see the module comment). */
export function compactRecord(record: StoredRecord, interner?: StringInterner): StoredRecord {
  const udfs = isEmpty(record.udfs) ? NO_UDFS : compactValues(record.udfs, interner);
  return {
    id: record.id,
    values: compactValues(record.values, interner),
    udfs: isEmpty(udfs) ? NO_UDFS : udfs,
  };
}
