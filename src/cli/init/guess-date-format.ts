/**
 * `init` looks at a few values of a column mapped to a date field and proposes the `date` transform's
 * format: `31/01/2026` → `DD/MM/YYYY`, `1/31/2026` → `M/DD/YYYY`. The day/month order is decided by a
 * value above 12; when no value tells (all parts ≤ 12) the guess is day-first and marked uncertain so the
 * configuration says to check it. ISO dates (`2026-01-31`) need no transform.
 */

export interface DateFormatGuess {
  format: string;
  /** False when the samples could not tell day from month. */
  certain: boolean;
}

const NUMERIC_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The format of `values` (empties ignored), or undefined when they are ISO, mixed or not dates. */
export function guessDateFormat(values: readonly string[]): DateFormatGuess | undefined {
  const samples = values.map((v) => v.trim()).filter((v) => v !== '');
  if (samples.length === 0 || samples.every((v) => ISO_DATE.test(v))) return undefined;
  const parts = samples.map((v) => NUMERIC_DATE.exec(v));
  if (parts.some((p) => p === null)) return undefined;
  // A typo such as 31.13.2026 is no date in either order: it cannot tell the format, so it is left
  // out rather than spoiling the guess for the whole column (`run` reports that row).
  const possible = (parts as RegExpExecArray[]).filter((m) => Number(m[1]) <= 12 || Number(m[3]) <= 12);
  if (possible.length === 0) return undefined;
  const matches = possible;
  const separators = new Set(matches.map((m) => m[2]));
  if (separators.size !== 1) return undefined;
  const sep = matches[0]?.[2] ?? '/';
  const first = matches.map((m) => m[1] ?? '');
  const second = matches.map((m) => m[3] ?? '');
  const firstOver12 = first.some((n) => Number(n) > 12);
  const secondOver12 = second.some((n) => Number(n) > 12);
  if (firstOver12 && secondOver12) return undefined;
  const dayFirst = firstOver12 || !secondOver12;
  const token = (values: string[], letter: 'D' | 'M'): string =>
    values.every((n) => n.length === 2) ? `${letter}${letter}` : letter;
  const [a, b] = dayFirst ? [token(first, 'D'), token(second, 'M')] : [token(first, 'M'), token(second, 'D')];
  return { format: `${a}${sep}${b}${sep}YYYY`, certain: firstOver12 || secondOver12 };
}
