/**
 * Comparing field values the way Autotask stores them, so that a value we wrote is not seen as
 * changed when it comes back in another form (`3` vs `"3"`, `true` vs `1`, `…T00:00:00Z` vs
 * `…T00:00:00.000Z`, `null` vs `""`). A false "changed" would cost a PATCH on every run.
 */
import { createHash } from 'node:crypto';

const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** True for null, undefined, and strings that are empty once trimmed. */
export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** A canonical form of a value for comparison. */
export function canonicalValue(value: unknown): string | number | boolean | null {
  if (isEmptyValue(value)) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const text = value.replace(/\s+$/, '');
    if (ISO_DATETIME.test(text)) {
      // Autotask datetimes are UTC; a value without an offset is UTC too (API doc §6.6).
      const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
      const ms = Date.parse(hasZone ? text : `${text}Z`);
      if (!Number.isNaN(ms)) return ms;
    }
    return text;
  }
  return JSON.stringify(value);
}

/** Whether two values are the same as far as Autotask is concerned. */
export function sameValue(a: unknown, b: unknown): boolean {
  const ca = canonicalValue(a);
  const cb = canonicalValue(b);
  if (ca === cb) return true;
  // Numbers against numeric text (UDF values come back as strings, "12.0000").
  if (typeof ca === 'number' && typeof cb === 'string') return NUMERIC.test(cb) && Number(cb) === ca;
  if (typeof cb === 'number' && typeof ca === 'string') return NUMERIC.test(ca) && Number(ca) === cb;
  // Booleans against 1/0 (Contact isActive is an integer, Company isActive a boolean).
  if (typeof ca === 'boolean' && typeof cb === 'number') return (ca ? 1 : 0) === cb;
  if (typeof cb === 'boolean' && typeof ca === 'number') return (cb ? 1 : 0) === ca;
  if (typeof ca === 'boolean' && typeof cb === 'string') return String(ca) === cb.toLowerCase();
  if (typeof cb === 'boolean' && typeof ca === 'string') return String(cb) === ca.toLowerCase();
  return false;
}

/** JSON with object keys sorted, so equal payloads serialise (and hash) equally. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

/** Short stable hash of a payload (field values in canonical form). */
export function payloadHash(fields: Readonly<Record<string, unknown>>): string {
  const canonical: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) canonical[k] = canonicalValue(v);
  return createHash('sha256').update(stableJson(canonical)).digest('base64url').slice(0, 22);
}
