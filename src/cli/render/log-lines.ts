/**
 * The structured log (pino, `AUTOTASK_SYNC_LOG_LEVEL`) as the CLI shows it on a terminal: one readable
 * line per entry — `warning: autotask call failed; retrying (method=GET, url=…, attempt=1)` — instead of
 * a JSON object. When stderr is not a terminal (a log file, CI, a pipe) the JSON lines are kept for tools.
 */
import type { Writable } from 'node:stream';

/** pino's numeric levels as words. */
const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};

/** Fields every entry carries that say nothing to a reader. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'component']);

/** Longest value shown in a detail (objects are shown as JSON). @default */
export const MAX_DETAIL_LENGTH = 200;

/** One JSON log line as a readable line (without newline); a line that is not JSON is returned as is. */
export function formatLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  if (entry === null || typeof entry !== 'object') return json.trimEnd();
  const level = typeof entry['level'] === 'number' ? (LEVEL_NAMES[entry['level']] ?? 'log') : 'log';
  const message = typeof entry['msg'] === 'string' ? entry['msg'] : '';
  const details = Object.entries(entry)
    .filter(([key, value]) => !HIDDEN.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${detail(value)}`);
  return `${level}: ${message}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

function detail(value: unknown): string {
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'object' &&
          value !== null &&
          typeof (value as { message?: unknown }).message === 'string'
        ? String((value as { message: string }).message) // a serialised error: its message, not its stack
        : JSON.stringify(value);
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH - 1)}…` : text;
}

/**
 * Where the CLI's logger writes: `stream` itself when it is not a terminal (JSON lines), else a
 * destination that writes each entry as a readable line.
 */
export function cliLogDestination(stream: Writable & { isTTY?: boolean }): { write(line: string): void } {
  if (stream.isTTY !== true) return stream;
  return {
    write(chunk: string): void {
      for (const line of chunk.split('\n')) if (line.trim() !== '') stream.write(`${formatLogLine(line)}\n`);
    },
  };
}
