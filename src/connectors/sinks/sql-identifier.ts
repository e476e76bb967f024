import { createHash } from 'node:crypto';

/** PostgreSQL truncates identifiers to 63 bytes. */
export const POSTGRES_MAX_IDENTIFIER_BYTES = 63;

/** `name` as a double-quoted SQL identifier (any characters allowed, `"` doubled). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A column name PostgreSQL keeps whole: names longer than 63 bytes become their first 54 bytes, `_`
 * and 8 hex digits of their SHA-256, so two long names never collapse into one.
 */
export function postgresColumnName(name: string): string {
  if (Buffer.byteLength(name) <= POSTGRES_MAX_IDENTIFIER_BYTES) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  let prefix = name;
  while (Buffer.byteLength(prefix) > POSTGRES_MAX_IDENTIFIER_BYTES - 9) prefix = prefix.slice(0, -1);
  return `${prefix}_${hash}`;
}

/** Splits `schema.table` (the first dot separates) into its parts; no dot → no schema. */
export function splitQualifiedName(name: string): { schema: string | undefined; table: string } {
  const dot = name.indexOf('.');
  return dot < 0
    ? { schema: undefined, table: name }
    : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}
