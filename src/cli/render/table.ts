/**
 * Plain-text tables for people: columns padded to their widest cell, numbers right-aligned. Cells may
 * hold colour escapes (they do not count towards the width).
 */
import { stripColour } from './colour.js';

export interface TableOptions {
  /**
   * Columns aligned to the right (by index); others are left-aligned.
   * @default columns whose every body cell is a number
   */
  rightAlign?: readonly number[];
  /**
   * Longest a cell may be before it is cut with `…`.
   * @default 60
   */
  maxCellWidth?: number;
  /**
   * Indentation of every line.
   * @default ''
   */
  indent?: string;
}

/** Renders `headers` and `rows` as aligned lines (no trailing newline on the last line). */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const max = options.maxCellWidth ?? 60;
  const cut = (cell: string): string => {
    const visible = stripColour(cell);
    return visible.length > max ? `${visible.slice(0, max - 1)}…` : cell;
  };
  const body = rows.map((r) => headers.map((_, i) => cut(r[i] ?? '')));
  const right = new Set(
    options.rightAlign ??
      headers
        .map((_, i) => i)
        .filter((i) => body.length > 0 && body.every((r) => /^-?[\d.,]+%?$/.test(stripColour(r[i] ?? '')))),
  );
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...body.map((r) => stripColour(r[i] ?? '').length)),
  );
  const pad = (cell: string, i: number): string => {
    const gap = ' '.repeat(Math.max(0, (widths[i] ?? 0) - stripColour(cell).length));
    return right.has(i) ? gap + cell : cell + gap;
  };
  const indent = options.indent ?? '';
  const line = (cells: readonly string[]): string =>
    indent +
    cells
      .map((c, i) => pad(c, i))
      .join('  ')
      .trimEnd();
  return [line(headers), ...body.map(line)].join('\n');
}
