/**
 * The key under which a looked-up value is matched, mirroring Autotask's string equality
 * (SQL Server collation: case-insensitive, trailing spaces ignored).
 */
export function normaliseLookupValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/\s+$/u, '').toLowerCase();
}
