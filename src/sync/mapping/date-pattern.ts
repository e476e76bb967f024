/**
 * Explicit date patterns (`DD/MM/YYYY`, `MM/DD/YYYY HH:mm`, `YYYY-MM-DDTHH:mm:ss.SSS`). A pattern is
 * compiled once into a strict parser; nothing is guessed: the text must match the whole pattern, every
 * part must be in range (31/02 is refused), and patterns that cannot be read unambiguously (a
 * variable-width token glued to another number, `MD`) are refused when the configuration is checked.
 *
 * Tokens: `YYYY` year · `MM`/`M` month · `DD`/`D` day · `HH`/`H` hour 0–23 · `hh`/`h` hour 1–12 (with
 * `A`) · `mm` minutes · `ss` seconds · `SSS` milliseconds · `A` AM/PM. Any other character except
 * letters is literal; the letters `T` and `Z` are literal too (ISO style).
 */
import type { WallTime } from './time-zone.js';

type Token = 'YYYY' | 'MM' | 'M' | 'DD' | 'D' | 'HH' | 'H' | 'hh' | 'h' | 'mm' | 'ss' | 'SSS' | 'A';

/** Longest first, so `MM` wins over `M`. */
const TOKENS: readonly Token[] = ['YYYY', 'SSS', 'MM', 'DD', 'HH', 'hh', 'mm', 'ss', 'M', 'D', 'H', 'h', 'A'];

const TOKEN_REGEX: Record<Token, string> = {
  YYYY: '(\\d{4})',
  MM: '(\\d{2})',
  M: '(\\d{1,2})',
  DD: '(\\d{2})',
  D: '(\\d{1,2})',
  HH: '(\\d{2})',
  H: '(\\d{1,2})',
  hh: '(\\d{2})',
  h: '(\\d{1,2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  SSS: '(\\d{3})',
  A: '(AM|PM)',
};

const VARIABLE_WIDTH: ReadonlySet<Token> = new Set(['M', 'D', 'H', 'h']);

/** A compiled pattern. */
export interface DatePattern {
  readonly format: string;
  /** The pattern carries a time of day (otherwise midnight is assumed). */
  readonly hasTime: boolean;
  /** The wall time written in `text` (trimmed), or `undefined` if it does not match or is out of range. */
  parse(text: string): WallTime | undefined;
}

/** Compiles `format`, or returns the reason it is not usable (with the fix in the text). */
export function compileDatePattern(format: string): DatePattern | { error: string } {
  const seq: (Token | { literal: string })[] = [];
  for (let i = 0; i < format.length;) {
    const token = TOKENS.find((t) => format.startsWith(t, i));
    if (token) {
      seq.push(token);
      i += token.length;
      continue;
    }
    const ch = format[i] ?? '';
    if (/\p{L}/u.test(ch) && ch !== 'T' && ch !== 'Z') {
      return {
        error:
          `"${ch}" at position ${i + 1} of "${format}" is not a date token: use YYYY, MM, M, DD, D, HH, H, hh, h, ` +
          'mm, ss, SSS or A (upper-case YYYY and DD; lower-case mm for minutes)',
      };
    }
    seq.push({ literal: ch });
    i += 1;
  }
  const tokens = seq.filter((s): s is Token => typeof s === 'string');
  const seen = new Set<string>();
  for (const t of tokens) {
    const group = t.charAt(0); // MM and M are both the month; hh and HH are checked below
    if (seen.has(group)) return { error: `"${format}" gives the ${describe(t)} twice` };
    seen.add(group);
  }
  const has = (...ts: Token[]): boolean => ts.some((t) => tokens.includes(t));
  if (!has('YYYY') || !has('MM', 'M') || !has('DD', 'D')) {
    return { error: `"${format}" must contain a year (YYYY), a month (MM or M) and a day (DD or D)` };
  }
  if (has('HH', 'H') && has('hh', 'h'))
    return { error: `"${format}" mixes a 24-hour (HH) and a 12-hour (hh) hour` };
  if (has('hh', 'h') !== has('A')) {
    return {
      error: has('A')
        ? `"${format}" has AM/PM (A) but no 12-hour hour (hh or h)`
        : `"${format}" has a 12-hour hour (hh) but no AM/PM (A): add A, or use HH for a 24-hour clock`,
    };
  }
  const hasHour = has('HH', 'H', 'hh', 'h');
  if (has('mm') && !hasHour) return { error: `"${format}" has minutes (mm) but no hour: for months use MM` };
  if (has('ss') && !has('mm')) return { error: `"${format}" has seconds (ss) but no minutes (mm)` };
  if (has('SSS') && !has('ss')) return { error: `"${format}" has milliseconds (SSS) but no seconds (ss)` };
  for (let i = 0; i + 1 < seq.length; i++) {
    const a = seq[i];
    const b = seq[i + 1];
    if (typeof a === 'string' && typeof b === 'string' && a !== 'A' && b !== 'A') {
      if (VARIABLE_WIDTH.has(a) || VARIABLE_WIDTH.has(b)) {
        return {
          error:
            `"${format}" is ambiguous: ${a} and ${b} are adjacent and ${VARIABLE_WIDTH.has(a) ? a : b} may be one or ` +
            `two digits; put a separator between them or use the two-digit form (${VARIABLE_WIDTH.has(a) ? a + a : b + b})`,
        };
      }
    }
  }
  const source = seq
    .map((s) => (typeof s === 'string' ? TOKEN_REGEX[s] : s.literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 'i');
  return {
    format,
    hasTime: hasHour,
    parse(text: string): WallTime | undefined {
      const m = regex.exec(text.trim());
      if (!m) return undefined;
      const v: Partial<Record<Token, string>> = {};
      tokens.forEach((t, idx) => {
        const g = m[idx + 1];
        if (g !== undefined) v[t] = g;
      });
      const year = Number(v.YYYY);
      const month = Number(v.MM ?? v.M);
      const day = Number(v.DD ?? v.D);
      let hour = 0;
      if (v.HH !== undefined || v.H !== undefined) {
        hour = Number(v.HH ?? v.H);
        if (hour > 23) return undefined;
      } else if (v.hh !== undefined || v.h !== undefined) {
        const h12 = Number(v.hh ?? v.h);
        if (h12 < 1 || h12 > 12) return undefined;
        hour = (h12 % 12) + ((v.A ?? '').toUpperCase() === 'PM' ? 12 : 0);
      }
      const minute = Number(v.mm ?? 0);
      const second = Number(v.ss ?? 0);
      const millisecond = Number(v.SSS ?? 0);
      if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
      if (minute > 59 || second > 59) return undefined;
      return { year, month, day, hour, minute, second, millisecond };
    },
  };
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function describe(t: Token): string {
  switch (t[0]) {
    case 'Y':
      return 'year';
    case 'M':
      return 'month';
    case 'D':
      return 'day';
    case 'H':
    case 'h':
      return 'hour';
    case 'm':
      return 'minutes';
    case 's':
      return 'seconds';
    case 'S':
      return 'milliseconds';
    default:
      return 'AM/PM';
  }
}
