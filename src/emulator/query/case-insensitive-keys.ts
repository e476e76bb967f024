/** JSON keys are matched case-insensitively, as Autotask's JSON.NET deserialiser does. */

/** The value of `key` in `obj` ignoring case; an exact-case key wins over other spellings. */
export function getKey(obj: Readonly<Record<string, unknown>>, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
