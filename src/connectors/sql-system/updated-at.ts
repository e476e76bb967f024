/**
 * The "updated at" column's values ↔ epoch ms. PostgreSQL timestamps arrive as `Date`s; SQLite stores
 * whatever the application wrote, so the format is taken from the values already in the table:
 * ISO 8601 text, SQLite's `YYYY-MM-DD HH:MM:SS` (UTC, as `datetime('now')` writes), or epoch
 * seconds / milliseconds. Values written back (cursors, stamps) use the same format, so comparisons
 * in SQL stay meaningful.
 */

export type UpdatedAtFormat = 'date' | 'iso' | 'sqlite-text' | 'epoch-s' | 'epoch-ms';

/** The format of a stored value (undefined when it is empty). */
export function detectUpdatedAtFormat(value: unknown): UpdatedAtFormat | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (value instanceof Date) return 'date';
  if (typeof value === 'number' || typeof value === 'bigint')
    return Number(value) > 100_000_000_000 ? 'epoch-ms' : 'epoch-s';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) > 100_000_000_000 ? 'epoch-ms' : 'epoch-s';
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text)) return 'sqlite-text';
  return 'iso';
}

/** Epoch ms of a stored value, or undefined when empty or unreadable. */
export function updatedAtMs(value: unknown): number | undefined {
  const format = detectUpdatedAtFormat(value);
  switch (format) {
    case undefined:
      return undefined;
    case 'date':
      return (value as Date).getTime();
    case 'epoch-s':
      return Math.round(Number(value) * 1000);
    case 'epoch-ms':
      return Number(value);
    case 'sqlite-text': {
      const text = String(value).replace(' ', 'T');
      const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
      return Number.isNaN(ms) ? undefined : ms;
    }
    case 'iso': {
      const ms = Date.parse(String(value));
      return Number.isNaN(ms) ? undefined : ms;
    }
  }
}

/** `ms` in the given format, for a parameter compared with (or written to) the column. */
export function formatUpdatedAt(ms: number, format: UpdatedAtFormat): unknown {
  switch (format) {
    case 'date':
      return new Date(ms);
    case 'iso':
      return new Date(ms).toISOString();
    case 'sqlite-text':
      return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
    case 'epoch-s':
      return Math.floor(ms / 1000);
    case 'epoch-ms':
      return ms;
  }
}
