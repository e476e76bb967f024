/**
 * Case-insensitive lookups of fields and UDFs by name: Autotask matches field names in filters,
 * IncludeFields and bodies without regard to case (API doc §4.1).
 */
import type { FieldInformation, UserDefinedFieldInformation } from '../../autotask/types.js';
import type { EntitySchema } from '../contracts.js';

/** Finds a field of `schema` by name, ignoring case. */
export function findField(schema: EntitySchema, name: string): FieldInformation | undefined {
  return findByName(schema.fields, name);
}

/** Finds a UDF definition by name, ignoring case. */
export function findUdf(
  udfs: readonly UserDefinedFieldInformation[],
  name: string,
): UserDefinedFieldInformation | undefined {
  return findByName(udfs, name);
}

function findByName<T extends { name: string }>(items: readonly T[], name: string): T | undefined {
  for (const item of items) if (item.name === name) return item;
  const lower = name.toLowerCase();
  for (const item of items) if (item.name.toLowerCase() === lower) return item;
  return undefined;
}

/** A prebuilt name → field map for callers that look fields up in a loop (keys are lower-case). */
export function fieldMap<T extends { name: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  return new Map(items.map((item) => [item.name.toLowerCase(), item]));
}
