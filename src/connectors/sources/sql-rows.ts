/**
 * What SQLite and PostgreSQL sources share: turning a driver row into a `SourceRecord` (whole numbers
 * beyond 2^53 are refused rather than silently rounded), row keys for locations, and column checks.
 */
import { SourceError } from '../../shared/errors.js';
import type { SourceRecord } from '../source.js';
import { closest } from '../../shared/suggest.js';

/** `id=42`, `a=1,b=x`: a row's key as shown in locations. */
export function formatKey(
  row: Readonly<Record<string, unknown>>,
  keyColumns: readonly string[],
): string | undefined {
  if (keyColumns.length === 0) return undefined;
  return keyColumns.map((c) => `${c}=${String(row[c] as string)}`).join(',');
}

/**
 * Builds the record for `row`: `bigint` values become numbers when exact, else the record is in error
 * (cast the column to text in a query to read it).
 */
export function sqlRecord(
  row: Record<string, unknown>,
  where: { table: string; keyColumns: readonly string[]; index: number },
): SourceRecord {
  let unsafe: string | undefined;
  for (const [column, value] of Object.entries(row)) {
    if (typeof value !== 'bigint') continue;
    if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER))
      row[column] = Number(value);
    else {
      unsafe ??= column;
      row[column] = value.toString();
    }
  }
  const key = formatKey(row, where.keyColumns);
  const location = { table: where.table, index: where.index, ...(key === undefined ? {} : { key }) };
  if (unsafe === undefined) return { values: row, location };
  const at = key === undefined ? `${where.table} row ${where.index + 1}` : `${where.table} (${key})`;
  return {
    values: row,
    location,
    error: new SourceError(
      `${at}: column "${unsafe}" holds a whole number too large to be exact here (beyond 2^53): ` +
        'read it as text with a query (CAST(... AS TEXT)) if it is an identifier',
      { location: at, column: unsafe },
    ),
  };
}

/** Throws when a result has two columns with one name (a join without aliases): values would be lost. */
export function checkColumns(columns: readonly string[], where: string): void {
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column))
      throw new SourceError(
        `${where}: the result has two columns named "${column}": give one of them another name (SELECT a.id AS company_id, ...)`,
        { location: where, column },
      );
    seen.add(column);
  }
}

/** Throws when `keyColumns` names a column the result does not have. */
export function checkKeyColumns(
  keyColumns: readonly string[],
  columns: readonly string[],
  where: string,
): void {
  for (const key of keyColumns)
    if (!columns.includes(key)) {
      const hint = closest(key, columns);
      throw new SourceError(
        `${where}: key column "${key}" is not in the result${hint ? `: did you mean "${hint}"?` : ` (columns: ${columns.join(', ')})`}`,
        { location: where, column: key },
      );
    }
}

/** The table name that is closest to `name`, for "did you mean". */
export function suggestTable(name: string, tables: readonly string[]): string {
  const hint = closest(name, tables);
  if (hint) return `: did you mean "${hint}"?`;
  return tables.length > 0 && tables.length <= 20 ? ` (tables: ${tables.join(', ')})` : '';
}
