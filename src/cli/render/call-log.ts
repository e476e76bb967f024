/**
 * `--verbose`: one line per Autotask API call (each HTTP attempt), from the client's `onCall`. The
 * client already redacts the URL; the line is redacted again with the session's secrets.
 */
import type { CallEvent } from '../../autotask/client-types.js';
import { redactText } from '../../shared/redact.js';

/** `GET Companies query → 200 in 38 ms (budget 12/10000) https://…/Companies/query?search=…` */
export function formatCallLine(event: CallEvent, secrets: readonly string[]): string {
  const retry = event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
  const status = event.status === 0 ? 'no response' : String(event.status);
  return redactText(
    `api: ${event.method} ${event.entity} ${event.operation} → ${status} in ${Math.round(event.durationMs)} ms${retry} ` +
      `(budget ${event.budget.used}/${event.budget.limit}) ${event.url}`,
    secrets,
  );
}
