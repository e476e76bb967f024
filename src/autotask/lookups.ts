/**
 * Batched lookups: resolve many key values with `in` queries of at most 500 values (Autotask's OR
 * limit), so thousands of keys cost a handful of calls. Results are grouped by
 * `normaliseLookupValue`, which mirrors Autotask's string equality.
 */
import type { EntityReader, FindByValuesOptions } from './client-types.js';
import { AutotaskQueryError } from './errors.js';
import { normaliseLookupValue } from './lookup-key.js';
import { countOrConditions, countUdfConditions, MAX_OR_CONDITIONS, MAX_UDF_CONDITIONS } from './query.js';
import type { EntityRecord, Filter, FilterScalar } from './types.js';

/** The value of `field` on a record (case-insensitive name; UDFs from `userDefinedFields`). */
export function fieldValue(record: EntityRecord, field: string, udf: boolean): unknown {
  const wanted = field.toLowerCase();
  if (udf) {
    return record.userDefinedFields?.find((u) => u.name.toLowerCase() === wanted)?.value ?? undefined;
  }
  if (field in record) return record[field];
  const key = Object.keys(record).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : record[key];
}

export async function findByValues<T extends EntityRecord>(
  api: Pick<EntityReader<T>, 'query'>,
  field: string,
  values: Iterable<FilterScalar>,
  options: FindByValuesOptions = {},
): Promise<Map<string, T[]>> {
  const udf = options.udf === true;
  const extra = options.filter ?? [];
  if (udf && countUdfConditions(extra) + 1 > MAX_UDF_CONDITIONS) {
    throw new AutotaskQueryError(
      `findByValues on UDF '${field}': the extra filter already has a UDF condition; Autotask allows only one per query.`,
    );
  }
  const room = MAX_OR_CONDITIONS - countOrConditions(extra);
  const batchSize = Math.min(options.batchSize ?? MAX_OR_CONDITIONS, room);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new AutotaskQueryError(
      `findByValues: batchSize must be 1–${room} (500 minus the OR conditions of the extra filter); got ${options.batchSize ?? batchSize}.`,
    );
  }

  // One representative wire value per normalised key, in first-seen order.
  const result = new Map<string, T[]>();
  const wire: FilterScalar[] = [];
  for (const value of values) {
    const key = normaliseLookupValue(value);
    if (result.has(key)) continue;
    result.set(key, []);
    if (key !== '') wire.push(typeof value === 'string' ? value.replace(/\s+$/u, '') : value);
  }

  const includeFields =
    options.includeFields && options.includeFields.length > 0
      ? [...new Set(['id', field, ...options.includeFields])]
      : undefined;

  for (let i = 0; i < wire.length; i += batchSize) {
    const batch = wire.slice(i, i + batchSize);
    const condition: Filter =
      batch.length === 1
        ? { op: 'eq', field, value: batch[0] as FilterScalar, ...(udf ? { udf: true } : {}) }
        : { op: 'in', field, value: batch, ...(udf ? { udf: true } : {}) };
    const seen = new Set<number>();
    for await (const record of api.query({
      filter: [condition, ...extra],
      ...(includeFields ? { includeFields } : {}),
    })) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      const v = fieldValue(record, field, udf);
      if (v === undefined || v === null) continue;
      const key = normaliseLookupValue(v as FilterScalar);
      result.get(key)?.push(record);
    }
  }
  return result;
}
