/**
 * Autotask's datetime wire format: UTC ISO-8601 with `Z` and 0–3 fractional digits, trailing zeros
 * trimmed (JSON.NET style): `2019-11-25T15:47:59.167Z`, `2023-05-04T08:53:10Z`.
 */
export function formatAutotaskDateTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.670Z
  return iso.replace(/\.(\d{3})Z$/, (_m, frac: string) => {
    const trimmed = frac.replace(/0+$/, '');
    return trimmed ? `.${trimmed}Z` : 'Z';
  });
}

/**
 * Parses an Autotask datetime. Values without an offset are UTC (Autotask stores and returns UTC);
 * returns `undefined` for anything that is not a date.
 */
export function parseAutotaskDateTime(value: string): number | undefined {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      value.trim(),
    );
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Number((frac + '000').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (Number.isNaN(t)) return undefined;
  const check = new Date(t);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return t;
}
