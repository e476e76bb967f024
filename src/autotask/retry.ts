/**
 * The retry policy: one pure function deciding, for a failed attempt, whether to try again and after
 * how long. Creates are special: a POST that may have been written is never repeated blindly; the
 * caller gets `AutotaskOutcomeUnknownError` and reconciles by key first.
 */
import type { RetryOptions } from './client-types.js';
import {
  AutotaskConnectionError,
  AutotaskError,
  AutotaskOutcomeUnknownError,
  AutotaskRateLimitError,
  AutotaskServerError,
  AutotaskThreadLimitError,
  AutotaskTimeoutError,
} from './errors.js';

/**
 * How a request may be repeated: `read` (GET, query, count, metadata), `idempotent-write` (PATCH and
 * PUT set the same values again) or `create` (POST of a new record: repeating may duplicate it).
 */
export type RequestKind = 'read' | 'idempotent-write' | 'create';

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
};

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; error: unknown };

/** True when the error proves the request was not processed, so even a create may be sent again. */
export function provesNothingWritten(error: unknown): boolean {
  return (
    error instanceof AutotaskRateLimitError ||
    error instanceof AutotaskThreadLimitError ||
    (error instanceof AutotaskConnectionError && !error.requestSent)
  );
}

/** True for failures where a create may or may not have been written. */
function outcomeUnknown(error: unknown): boolean {
  return (
    error instanceof AutotaskServerError ||
    error instanceof AutotaskTimeoutError ||
    (error instanceof AutotaskConnectionError && error.requestSent)
  );
}

/** Exponential backoff with up to 25 % jitter (downwards, so `maxDelayMs` holds), or the server's hint. */
export function backoffDelay(
  attempt: number,
  options: Required<RetryOptions>,
  random: number,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxDelayMs);
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp * (1 - 0.25 * random));
}

/**
 * Decides what to do after attempt number `attempt` (1-based) failed with `error`.
 * `random` is a number in [0, 1) for jitter, injected so tests are exact.
 */
export function decideRetry(input: {
  error: unknown;
  attempt: number;
  kind: RequestKind;
  options: Required<RetryOptions>;
  random: number;
}): RetryDecision {
  const { error, attempt, kind, options } = input;
  if (kind === 'create' && outcomeUnknown(error)) {
    const request =
      error instanceof AutotaskServerError ||
      error instanceof AutotaskTimeoutError ||
      error instanceof AutotaskConnectionError
        ? error.request
        : { method: 'POST', url: '' };
    return {
      retry: false,
      error: new AutotaskOutcomeUnknownError(
        `The create ${request.method} ${request.url} failed after it was sent (${(error as Error).message}). It may or may not have been written: look the record up by its key before creating it again.`,
        { request, cause: error },
      ),
    };
  }
  const retryable =
    error instanceof AutotaskError &&
    error.disposition === 'retry' &&
    !(error instanceof AutotaskOutcomeUnknownError) &&
    error.code !== 'AUTOTASK_BUDGET_EXHAUSTED' &&
    (kind !== 'create' || provesNothingWritten(error));
  if (!retryable || attempt >= options.maxAttempts) return { retry: false, error };
  const hint =
    error instanceof AutotaskRateLimitError || error instanceof AutotaskThreadLimitError
      ? error.retryAfterMs
      : undefined;
  return { retry: true, delayMs: backoffDelay(attempt, options, input.random, hint) };
}
