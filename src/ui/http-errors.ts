/**
 * How API handlers answer with an error: a JSON body `{ error: { code, message, issues? } }` with the
 * HTTP status that fits. Messages are redacted of the session's secrets before they leave.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

import { AppError, ConfigError } from '../shared/errors.js';
import { redactText } from '../shared/redact.js';

/** A request the API refuses (bad input, wrong state); `status` is the HTTP status. */
export class UiRequestError extends AppError {
  readonly status: ContentfulStatusCode;

  constructor(
    code: string,
    message: string,
    status: ContentfulStatusCode = 400,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details === undefined ? {} : { details });
    this.status = status;
  }
}

/** Turns zod issues into the `issues` list of an `INVALID_INPUT` error. */
export function inputError(error: z.ZodError, what: string): UiRequestError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  return new UiRequestError(
    'UI_INVALID_INPUT',
    `${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    400,
    { issues },
  );
}

/** The JSON error response for anything a handler threw. */
export function errorResponse(c: Context, error: unknown, secrets: readonly string[]): Response {
  const clean = (s: string): string => redactText(s, secrets);
  if (error instanceof UiRequestError)
    return c.json(
      { error: { code: error.code, message: clean(error.message), ...error.details } },
      error.status,
    );
  if (error instanceof ConfigError)
    return c.json(
      {
        error: {
          code: error.code,
          message: clean(error.message),
          issues: error.issues.map((i) => ({ ...i, message: clean(i.message) })),
        },
      },
      422,
    );
  if (error instanceof AppError)
    return c.json({ error: { code: error.code, message: clean(error.message) } }, 502);
  const message = error instanceof Error ? error.message : String(error);
  return c.json({ error: { code: 'UI_INTERNAL', message: clean(message) } }, 500);
}
