/** Small formatters shared by the commands' human output. */

/** `1.2 s`, `3 min`, `1.5 h`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** `2026-11-27 11:02:42` in UTC (the timestamps people compare with Autotask's, which are UTC). */
export function formatTimestamp(ms: number | null): string {
  if (ms === null) return '';
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '');
}

/** `HH:MM UTC`, for "the window frees up at". */
export function formatClockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/** `1 record`, `2 records`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}
