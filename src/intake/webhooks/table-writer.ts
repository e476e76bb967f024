/**
 * Writes Autotask records to the SQL table of a webhook intake (the SQL side of a two-way sync):
 * one row per record, keyed by the Autotask id, with the configured field → column mapping. Rows
 * that already hold the same values are left alone; all the rest are written in one transaction.
 */
import type { SqlSystem } from '../../connectors/sql-system/sql-system.js';

/** A record as read from Autotask (fields plus `userDefinedFields`). */
export type AutotaskRow = Record<string, unknown> & { id: number };

export interface TableWriteResult {
  inserted: number[];
  updated: number[];
  unchanged: number[];
}

/** The table row for `record`: column → value (`udf:Name` from the record's UDFs). */
export function rowOf(
  record: AutotaskRow,
  columns: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const udfs = Array.isArray(record['userDefinedFields'])
    ? (record['userDefinedFields'] as { name?: unknown; value?: unknown }[])
    : [];
  for (const [field, column] of Object.entries(columns)) {
    if (field.startsWith('udf:')) {
      const name = field.slice(4);
      row[column] = udfs.find((u) => u.name === name)?.value ?? null;
    } else row[column] = record[field] ?? null;
  }
  return row;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return a == b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) === Number(b);
  return JSON.stringify(a) === JSON.stringify(b) || `${a as string}` === `${b as string}`;
}

export async function writeRecordsToTable(
  system: SqlSystem,
  keyColumn: string,
  columns: Readonly<Record<string, string>>,
  records: readonly AutotaskRow[],
  now: number,
): Promise<TableWriteResult> {
  const result: TableWriteResult = { inserted: [], updated: [], unchanged: [] };
  if (records.length === 0) return result;
  const existing = new Map(
    (await system.readByKeys(records.map((r) => String(r.id)))).map((row) => [row.key, row.values]),
  );
  const inserts: Record<string, unknown>[] = [];
  const updates: { key: string; values: Record<string, unknown> }[] = [];
  for (const record of records) {
    const row = rowOf(record, columns);
    const current = existing.get(String(record.id));
    if (current === undefined) {
      inserts.push({ ...row, [keyColumn]: record.id });
      result.inserted.push(record.id);
      continue;
    }
    const changed: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row))
      if (!sameValue(current[column], value)) changed[column] = value;
    if (Object.keys(changed).length === 0) result.unchanged.push(record.id);
    else {
      updates.push({ key: String(record.id), values: changed });
      result.updated.push(record.id);
    }
  }
  if (inserts.length > 0 || updates.length > 0) await system.write({ inserts, updates, stampedAt: now });
  return result;
}
