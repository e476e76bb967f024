/**
 * Which keys the schema accepts at a given place of a configuration, for "did you mean" suggestions on
 * unknown keys. Walks zod 4's schema definitions (`_zod.def`), following the data through unions.
 */
import type { z } from 'zod';

import type { ConfigPath } from './yaml-positions.js';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Object schemas `schema` may stand for, with wrappers (optional, default, lazy, union...) removed. */
function objectSchemas(schema: z.ZodType, data: unknown, depth = 0): z.ZodType[] {
  if (depth > 20) return [];
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return [schema];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return def.innerType ? objectSchemas(def.innerType, data, depth + 1) : [];
    case 'pipe':
      return def.in ? objectSchemas(def.in, data, depth + 1) : [];
    case 'lazy':
      return def.getter ? objectSchemas(def.getter(), data, depth + 1) : [];
    case 'union': {
      const all = (def.options ?? []).flatMap((o) => objectSchemas(o, data, depth + 1));
      // Prefer the options whose literal discriminator (e.g. `type: csv`) matches the data.
      const matching = all.filter((o) => discriminatorMatches(o, data));
      return matching.length > 0 ? matching : all;
    }
    default:
      return [];
  }
}

function discriminatorMatches(objectSchema: z.ZodType, data: unknown): boolean {
  if (!data || typeof data !== 'object') return false;
  const shape = defOf(objectSchema).shape ?? {};
  for (const [key, field] of Object.entries(shape)) {
    const def = defOf(field) as Def & { values?: unknown[] };
    if (def.type === 'literal' && def.values && key in data)
      return def.values.includes((data as Record<string, unknown>)[key]);
  }
  return false;
}

/** Schemas that the value at `path` is checked against. */
function schemasAt(schema: z.ZodType, data: unknown, path: ConfigPath, depth = 0): z.ZodType[] {
  if (path.length === 0) return [schema];
  if (depth > 40) return [];
  const [head, ...rest] = path;
  const def = defOf(schema);
  const child = (data as Record<string | number, unknown> | undefined)?.[head as string | number];
  switch (def.type) {
    case 'array':
      return def.element ? schemasAt(def.element, child, rest, depth + 1) : [];
    case 'record':
      return def.valueType ? schemasAt(def.valueType, child, rest, depth + 1) : [];
    case 'object': {
      const field = def.shape?.[String(head)];
      return field ? schemasAt(field, child, rest, depth + 1) : [];
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return def.innerType ? schemasAt(def.innerType, data, path, depth + 1) : [];
    case 'pipe':
      return def.in ? schemasAt(def.in, data, path, depth + 1) : [];
    case 'lazy':
      return def.getter ? schemasAt(def.getter(), data, path, depth + 1) : [];
    case 'union':
      return objectSchemas(schema, data).flatMap((o) => schemasAt(o, data, path, depth + 1));
    default:
      return [];
  }
}

/** Keys the schema accepts for the object at `path` of `data` (empty when unknown). */
export function knownKeysAt(schema: z.ZodType, data: unknown, path: ConfigPath): string[] {
  let value: unknown = data;
  for (const segment of path) value = (value as Record<string | number, unknown> | undefined)?.[segment];
  const keys = new Set<string>();
  for (const s of schemasAt(schema, data, path))
    for (const o of objectSchemas(s, value)) for (const k of Object.keys(defOf(o).shape ?? {})) keys.add(k);
  return [...keys];
}
