/**
 * Autotask's string equality: SQL Server with a case-insensitive collation, where trailing spaces do
 * not count ("Acme " = "acme"). Index keys and `eq`/`in` comparisons both go through `equalityKey`.
 */

/**
 * The key under which `value` is indexed and compared for equality: strings lower-cased with trailing
 * spaces removed, finite numbers and booleans as they are; `undefined` for null and anything else.
 */
export function equalityKey(value: unknown): string | number | boolean | undefined {
  switch (typeof value) {
    case 'string':
      return foldString(value);
    case 'number':
      return Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return value;
    default:
      return undefined;
  }
}

/** Lower-cases and drops trailing spaces (only spaces, as SQL Server's padding rule does). */
export function foldString(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 32) end--;
  return (end === value.length ? value : value.slice(0, end)).toLowerCase();
}
