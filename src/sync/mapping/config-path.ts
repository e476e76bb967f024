/**
 * Paths to settings as people read them, in the same style as the config loader
 * (`syncs[1].fields.companyType.default`, `syncs[0].fields["udf:Customer Ranking"]`).
 */
export function childPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}
