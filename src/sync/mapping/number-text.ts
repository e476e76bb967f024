/**
 * Strict number parsing for source text: an optional sign, digits, an optional decimal part with the
 * configured decimal separator, and optional thousands separators (the other of `.`/`,`, a space, a
 * no-break space or an apostrophe), which must group digits by three and be the same throughout.
 * A currency symbol before or after the number is ignored ("$1,200.50", "12,5 €"). Exponents, words
 * ("NaN", "Infinity") and half-written numbers ("1.", "-") are refused.
 */

export type DecimalSeparator = '.' | ',';

const PATTERNS: Record<DecimalSeparator, RegExp> = {
  '.': /^([+-]?)(\d{1,3}(?:([,\u0020\u00a0\u202f'’])\d{3})(?:\3\d{3})*|\d+|)(?:\.(\d+))?$/u,
  ',': /^([+-]?)(\d{1,3}(?:([.\u0020\u00a0\u202f'’])\d{3})(?:\3\d{3})*|\d+|)(?:,(\d+))?$/u,
};

/** The number written in `text`, or `undefined` when it is not one. */
export function parseNumberText(text: string, decimal: DecimalSeparator = '.'): number | undefined {
  const t = text
    .trim()
    .replace(/^\p{Sc}\s*|\s*\p{Sc}$/u, '')
    .trim();
  const m = PATTERNS[decimal].exec(t);
  if (!m) return undefined;
  const [, sign = '', intPart = '', , frac] = m;
  if (intPart === '' && frac === undefined) return undefined;
  const digits = intPart.replace(/\D/g, '') || '0';
  const n = Number(`${sign}${digits}${frac === undefined ? '' : `.${frac}`}`);
  if (!Number.isFinite(n)) return undefined;
  return n === 0 ? 0 : n; // no -0
}
