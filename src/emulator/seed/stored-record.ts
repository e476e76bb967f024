/** A `StoredRecord` from builder output; the table drops null/undefined values when it stores it. */
import type { StoredRecord } from '../contracts.js';

export function storedRecord(
  id: number,
  values: Record<string, unknown>,
  udfs: Record<string, string | null> = {},
): StoredRecord {
  return { id, values, udfs };
}
