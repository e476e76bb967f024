/**
 * Merging `userDefinedFields` of a write into a record (API doc §7, §13 item 11): entries are matched
 * to the tenant's UDF definitions by name, case-insensitively; unknown names are an error; values are
 * strings on the wire, checked against the definition's type, length and picklist; read-only UDFs are
 * ignored. UDFs the write omits keep their value (on PATCH and on PUT, §14 q12); on create, omitted
 * UDFs with a `defaultValue` get it.
 */
import { parseAutotaskDateTime } from '../../autotask/datetime.js';
import type { UserDefinedFieldInformation, UserDefinedFieldValue } from '../../autotask/types.js';
import { AutotaskBusinessError } from '../contracts.js';
import { messages } from './messages.js';

function validUdfValue(def: UserDefinedFieldInformation, value: string): string | undefined {
  switch (def.type) {
    case 'integer':
    case 'long':
    case 'short':
      return /^\s*[+-]?\d+\s*$/.test(value) ? undefined : messages.invalidUdfValue(def.name, def.type, value);
    case 'double':
    case 'decimal':
      return /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)
        ? undefined
        : messages.invalidUdfValue(def.name, def.type, value);
    case 'datetime':
    case 'date':
      return parseAutotaskDateTime(value) === undefined
        ? messages.invalidUdfValue(def.name, def.type, value)
        : undefined;
    case 'boolean':
      return /^\s*(true|false|0|1)\s*$/i.test(value)
        ? undefined
        : messages.invalidUdfValue(def.name, def.type, value);
    case 'string':
      return def.length > 0 && value.length > def.length ? messages.tooLong(def.name, def.length) : undefined;
  }
}

/** Autotask returns decimal UDFs as strings with 4 decimals (`"0.0000"`, `"20.6400"`, API doc §6.1, §7). */
function wireUdfValue(def: UserDefinedFieldInformation, value: string): string {
  return def.type === 'decimal' || def.type === 'double' ? Number(value).toFixed(4) : value;
}

/**
 * The record's UDF values after the write. `current` are the stored values (by definition name);
 * `sent` the request's entries (undefined when the body had no `userDefinedFields`).
 */
export function mergeUdfs(options: {
  definitions: readonly UserDefinedFieldInformation[];
  current: Readonly<Record<string, string | null>>;
  sent: readonly UserDefinedFieldValue[] | undefined;
  singular: string;
  create: boolean;
}): Record<string, string | null> {
  const { definitions, current, sent, singular, create } = options;
  const result: Record<string, string | null> = { ...current };
  const byLower = new Map(definitions.map((d) => [d.name.toLowerCase(), d]));
  const errors: string[] = [];
  const given = new Set<string>();
  for (const entry of sent ?? []) {
    const def = byLower.get(entry.name.trim().toLowerCase());
    if (!def) {
      errors.push(messages.unknownUdf(entry.name, singular));
      continue;
    }
    given.add(def.name);
    if (def.isReadOnly) continue;
    const value = entry.value === null || entry.value === '' ? null : entry.value;
    if (value !== null) {
      const problem = validUdfValue(def, value);
      if (problem) {
        errors.push(problem);
        continue;
      }
      if (def.isPickList && !def.picklistValues?.some((v) => v.value === value.trim())) {
        errors.push(messages.noReference(def.name));
        continue;
      }
      if (def.isPickList && def.picklistValues?.some((v) => v.value === value.trim() && !v.isActive)) {
        errors.push(messages.inactivePicklistValue(def.name, value));
        continue;
      }
    }
    result[def.name] = value === null ? null : wireUdfValue(def, value);
  }
  if (errors.length) throw new AutotaskBusinessError(errors);
  if (create) {
    for (const def of definitions) {
      if (!given.has(def.name) && result[def.name] === undefined && def.defaultValue !== null) {
        result[def.name] = def.defaultValue;
      }
    }
  }
  for (const [name, value] of Object.entries(result)) if (value === null) delete result[name];
  return result;
}
