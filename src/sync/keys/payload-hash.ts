/**
 * A stable hash of a payload, for change detection: the same values give the same hash whatever the
 * key order, the order of `userDefinedFields`, or `-0` vs `0`. SHA-256, hex.
 */
import { createHash } from 'node:crypto';

export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

/** JSON with object keys sorted and UDF lists sorted by name; `undefined` members left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    if (items.every((i) => isNamed(i))) {
      return [...(items as { name: string }[])].sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
    }
    return items;
  }
  if (value !== null && typeof value === 'object') {
    // defineProperty, not assignment: a key named "__proto__" (a column name is user input) must stay
    // an own property instead of setting the prototype and vanishing from the hash.
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined)
        Object.defineProperty(out, key, {
          value: canonical(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }
  return value;
}

/** `{ name, value }` items (UDF lists) are a set: their order carries no meaning. */
function isNamed(item: unknown): item is { name: string } {
  return (
    item !== null &&
    typeof item === 'object' &&
    typeof (item as { name?: unknown }).name === 'string' &&
    'value' in item
  );
}
