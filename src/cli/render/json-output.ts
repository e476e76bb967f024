/**
 * `--json` output: one JSON document per command on stdout, secrets removed by key and by value, so
 * scripts can parse it and nothing secret ever reaches a log that captures it.
 */
import { redactText, redactValue } from '../../shared/redact.js';

/** Serialises `value` as one line of JSON with every secret redacted. */
export function toJsonLine(value: unknown, secrets: readonly (string | undefined)[]): string {
  return `${redactText(JSON.stringify(redactValue(value, secrets)), secrets)}\n`;
}

/** Writes `value` as one line of JSON to `out`, secrets redacted. */
export function writeJson(
  out: { write(chunk: string): unknown },
  value: unknown,
  secrets: readonly (string | undefined)[],
): void {
  out.write(toJsonLine(value, secrets));
}

/** The `--json` shape of an error, for commands that fail before producing their document. */
export function errorJson(error: { code: string; message: string }, secrets: readonly string[]): unknown {
  return { ok: false, error: { code: error.code, message: redactText(error.message, secrets) } };
}
