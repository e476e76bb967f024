/**
 * The transform steps of a field mapping, compiled once per mapping. Each step takes the value the
 * previous one produced. Empty values (missing, null, blank text) pass through every step unchanged,
 * except `empty-to-null` (turns them into `CLEAR`) and `map` (when it has an entry for the blank
 * value). Text steps read numbers, booleans and dates as text first.
 */
import type { TransformSpec } from './field-mapping-spec.js';
import { compileDatePattern } from './date-pattern.js';
import { parseNumberText } from './number-text.js';
import { createZoneConverter, isValidTimeZone } from './time-zone.js';
import { TransformError } from './transform-error.js';
import type { CompiledTransform } from './types.js';
import { CLEAR, DateValue, asText, isEmpty, shorten } from './values.js';

/** What a transform needs to know about its target. */
export interface TransformContext {
  /** Max characters of the target field (0 = unknown). */
  readonly targetLength: number;
}

/** Default words of the `boolean` transform. */
export const DEFAULT_TRUE_WORDS: readonly string[] = ['yes', 'true', '1', 'y', 'x'];
export const DEFAULT_FALSE_WORDS: readonly string[] = ['no', 'false', '0', 'n'];

/** Compiles one step, or returns why it cannot be used (with the fix in the text). */
export function compileTransform(
  spec: TransformSpec,
  ctx: TransformContext,
): CompiledTransform | { error: string } {
  const s = typeof spec === 'string' ? { type: spec } : spec;
  switch (s.type) {
    case 'trim':
      return text('trim', (t) => t.trim());
    case 'lower':
      return text('lower', (t) => t.toLowerCase());
    case 'upper':
      return text('upper', (t) => t.toUpperCase());
    case 'title':
      return text('title', titleCase);
    case 'collapse-spaces':
      return text('collapse-spaces', (t) => t.replace(/\s+/gu, ' '));
    case 'empty-to-null':
      return { name: 'empty-to-null', apply: (v) => (isEmpty(v) ? CLEAR : v) };
    case 'number': {
      const decimal = 'decimal' in s && s.decimal !== undefined ? s.decimal : '.';
      return nonEmpty('number', (v) => {
        if (typeof v === 'number') return v;
        const n = parseNumberText(asText(v), decimal);
        if (n === undefined) {
          throw new TransformError(
            'NUMBER_INVALID',
            `"${shorten(v)}" is not a number`,
            decimal === '.'
              ? 'write it like 1234.5 or 1,234.5; if the source uses a decimal comma, set `{ type: number, decimal: "," }`'
              : 'write it like 1234,5 or 1.234,5 (decimal comma, as configured)',
          );
        }
        return n;
      });
    }
    case 'integer':
      return nonEmpty('integer', (v) => {
        const n = typeof v === 'number' ? v : parseNumberText(asText(v), '.');
        if (n === undefined || !Number.isInteger(n)) {
          throw new TransformError(
            'INTEGER_INVALID',
            `"${shorten(v)}" is not a whole number`,
            'give a whole number such as 42 (no decimals), or use the `number` transform for a decimal field',
          );
        }
        return n;
      });
    case 'boolean': {
      const trueWords = new Set(('true' in s && s.true ? s.true : DEFAULT_TRUE_WORDS).map(fold));
      const falseWords = new Set(('false' in s && s.false ? s.false : DEFAULT_FALSE_WORDS).map(fold));
      const both = [...trueWords].filter((w) => falseWords.has(w));
      if (both.length > 0) return { error: `"${both.join('", "')}" is listed as both true and false` };
      return nonEmpty('boolean', (v) => {
        if (typeof v === 'boolean') return v;
        const w = fold(asText(v));
        if (trueWords.has(w)) return true;
        if (falseWords.has(w)) return false;
        throw new TransformError(
          'BOOLEAN_INVALID',
          `"${shorten(v)}" is neither true (${[...trueWords].join(', ')}) nor false (${[...falseWords].join(', ')})`,
          'use one of those words, or list the source words under `true:` / `false:` of the boolean transform',
        );
      });
    }
    case 'date': {
      const pattern = compileDatePattern(s.format);
      if ('error' in pattern) return { error: pattern.error };
      const zone = s.timeZone ?? 'UTC';
      if (!isValidTimeZone(zone)) {
        return {
          error: `"${zone}" is not an IANA time zone: use a name like Europe/Paris, America/New_York or UTC`,
        };
      }
      const toUtc = createZoneConverter(zone);
      return nonEmpty('date', (v) => {
        if (v instanceof DateValue) return v;
        if (v instanceof Date) {
          // A driver's Date is already an instant; its UTC calendar date is what it names.
          return new DateValue(v.getTime(), v.toISOString().slice(0, 10), true);
        }
        const wall = pattern.parse(asText(v));
        if (!wall) {
          throw new TransformError(
            'DATE_INVALID',
            `"${shorten(v)}" is not a valid date in the format ${s.format}`,
            `write it as ${s.format} (a real calendar date), or change the transform's format to match the source`,
          );
        }
        const utcMs = toUtc(wall);
        if (utcMs === undefined) {
          throw new TransformError(
            'DATE_NONEXISTENT',
            `"${shorten(v)}" does not exist in ${zone} (the clocks skipped that hour)`,
            'correct the time in the source',
          );
        }
        const calendarDate = `${String(wall.year).padStart(4, '0')}-${pad2(wall.month)}-${pad2(wall.day)}`;
        return new DateValue(utcMs, calendarDate, pattern.hasTime);
      });
    }
    case 'map': {
      const caseSensitive = s.caseSensitive ?? false;
      const norm = (t: string): string => (caseSensitive ? t.trim() : fold(t));
      const table = new Map<string, unknown>();
      for (const [k, v] of Object.entries(s.values)) {
        const key = norm(k);
        if (table.has(key))
          return {
            error: `the value map lists "${k}" twice (keys compare ${caseSensitive ? 'exactly' : 'ignoring case'})`,
          };
        table.set(key, v === null ? CLEAR : v);
      }
      if (s.otherwise !== undefined && s.keepUnmatched === true) {
        return { error: 'give either `otherwise` or `keepUnmatched: true`, not both' };
      }
      const keys = Object.keys(s.values);
      return {
        name: 'map',
        apply: (v) => {
          if (v === CLEAR) return v;
          const key = norm(asText(v));
          if (table.has(key)) return table.get(key);
          if (isEmpty(v)) return v;
          if (s.otherwise !== undefined) return s.otherwise === null ? CLEAR : s.otherwise;
          if (s.keepUnmatched === true) return v;
          throw new TransformError(
            'MAP_UNMATCHED',
            `"${shorten(v)}" is not in the value map (${listShort(keys)})`,
            'add it to `values:`, or set `otherwise:` (a replacement) or `keepUnmatched: true`',
          );
        },
      };
    }
    case 'truncate': {
      const length = 'length' in s && s.length !== undefined ? s.length : ctx.targetLength;
      if (length <= 0) {
        return {
          error:
            'the field has no length limit in Autotask metadata: give one, e.g. `{ type: truncate, length: 100 }`',
        };
      }
      return text('truncate', (t) => cut(t, length));
    }
  }
}

/** `text` cut to at most `length` UTF-16 units (Autotask's count), never inside a surrogate pair. */
export function cut(text: string, length: number): string {
  if (text.length <= length) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(length - 1)) ? length - 1 : length;
  return text.slice(0, end);
}

function text(name: string, fn: (t: string) => string): CompiledTransform {
  return { name, apply: (v) => (v === undefined || v === null || v === CLEAR ? v : fn(asText(v))) };
}

function nonEmpty(name: string, fn: (v: unknown) => unknown): CompiledTransform {
  return {
    name,
    apply: (v) => (isEmpty(v) || v === CLEAR ? (typeof v === 'string' ? undefined : v) : fn(v)),
  };
}

function titleCase(t: string): string {
  return t
    .toLowerCase()
    .replace(/(^|[\s\-–—/(])(\p{Ll})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** Case-insensitive, width-insensitive comparison form of a word. */
function fold(t: string): string {
  return t.normalize('NFKC').trim().toLowerCase();
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function listShort(items: readonly string[], max = 10): string {
  const shown = items.slice(0, max).map((i) => `"${i}"`);
  return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
}
