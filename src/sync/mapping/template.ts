/**
 * Templates: `"{First Name} {Last Name}"`. `{Column}` is replaced by the column's text; `{{` and `}}`
 * are literal braces. Only substitution: no expressions, no code.
 */
import type { TemplatePart } from './types.js';
import { asText, isEmpty } from './values.js';

export interface ParsedTemplate {
  readonly parts: readonly TemplatePart[];
  readonly columns: readonly string[];
}

/** Parses `template`, or returns why it cannot be used. */
export function parseTemplate(template: string): ParsedTemplate | { error: string } {
  const parts: TemplatePart[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      literal += ch;
      i++;
      continue;
    }
    if (ch === '}') return { error: `"}" at position ${i + 1} has no "{": write "}}" for a literal brace` };
    if (ch !== '{') {
      literal += ch;
      continue;
    }
    const end = template.indexOf('}', i + 1);
    if (end < 0)
      return {
        error: `"{" at position ${i + 1} is not closed: write "{Column}", or "{{" for a literal brace`,
      };
    const column = template.slice(i + 1, end);
    if (column.trim() === '' || column.includes('{')) {
      return { error: `"{${column}}" at position ${i + 1} does not name a column` };
    }
    if (literal) parts.push({ text: literal });
    literal = '';
    parts.push({ column });
    i = end;
  }
  if (literal) parts.push({ text: literal });
  const columns = [...new Set(parts.flatMap((p) => ('column' in p ? [p.column] : [])))];
  if (columns.length === 0) return { error: 'the template names no column: use `value:` for a constant' };
  return { parts, columns };
}

/**
 * The template filled from `row`. Empty (undefined) when every column it names is empty; otherwise
 * empty columns count as '' and the result is trimmed ("Ada " → "Ada").
 */
export function renderTemplate(
  template: ParsedTemplate,
  row: Readonly<Record<string, unknown>>,
): string | undefined {
  if (template.columns.every((c) => isEmpty(row[c]))) return undefined;
  return template.parts
    .map((p) => ('text' in p ? p.text : isEmpty(row[p.column]) ? '' : asText(row[p.column])))
    .join('')
    .trim();
}
