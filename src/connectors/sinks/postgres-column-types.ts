import type { SinkColumnType } from './sink.js';

/** A column of an existing table: its name and `format_type()` (`bigint`, `character varying(50)`). */
export interface ExistingColumn {
  name: string;
  type: string;
}

export interface IncompatibleColumn {
  name: string;
  /** The column's type in the table. */
  actual: string;
  /** The types that would hold the values, in words. */
  expected: string;
}

const TEXT = /^(text|character varying|character|varchar|char|citext|name)\b/;

/** Types of an existing column that hold a sink column's values (text holds anything). */
const ACCEPTED: Record<SinkColumnType, { pattern: RegExp; words: string }> = {
  string: { pattern: TEXT, words: 'text' },
  integer: { pattern: /^(bigint|integer|numeric|double precision|real)\b/, words: 'bigint, numeric or text' },
  decimal: { pattern: /^(numeric|double precision|real)\b/, words: 'numeric, double precision or text' },
  boolean: { pattern: /^boolean$/, words: 'boolean or text' },
  datetime: { pattern: /^timestamp\b/, words: 'timestamp with time zone or text' },
  date: { pattern: /^(date|timestamp\b)/, words: 'date, timestamp or text' },
};

/** The existing columns whose type cannot hold what the export writes to them (missing ones are fine). */
export function incompatibleColumns(
  wanted: readonly { name: string; type: SinkColumnType }[],
  existing: readonly ExistingColumn[],
): IncompatibleColumn[] {
  const types = new Map(existing.map((c) => [c.name, c.type]));
  const out: IncompatibleColumn[] = [];
  for (const w of wanted) {
    const actual = types.get(w.name);
    if (actual === undefined) continue;
    const accepted = ACCEPTED[w.type];
    if (TEXT.test(actual) || accepted.pattern.test(actual)) continue;
    out.push({ name: w.name, actual, expected: accepted.words });
  }
  return out;
}
