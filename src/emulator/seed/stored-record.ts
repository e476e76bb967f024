/** Builds compact `StoredRecord`s: null and undefined values are left out (rendering fills them). */
import type { StoredRecord } from '../contracts.js';

export function storedRecord(
  id: number,
  values: Record<string, unknown>,
  udfs: Record<string, string | null> = {},
): StoredRecord {
  const compact: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined) compact[k] = v;
  const compactUdfs: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(udfs)) if (v !== null) compactUdfs[k] = v;
  return { id, values: compact, udfs: compactUdfs };
}
