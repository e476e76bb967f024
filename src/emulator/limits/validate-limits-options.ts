import { z } from 'zod';

import { ConfigError } from '../../shared/errors.js';
import type { RequestLimitsOptions } from './types.js';

const nonNegativeMs = z.number().int().min(0).max(600_000);

/** Schema of the limits' options (without the clock), shared with the control endpoints and the CLI. */
export const requestLimitsOptionsSchema = z
  .object({
    hourlyLimit: z.number().int().min(1),
    threadLimit: z.number().int().min(1),
    threadLimitStatus: z.union([z.literal(429), z.literal(500)]),
    hourlyLimitStatus: z.union([z.literal(429), z.literal(500)]),
    latency: z
      .object({ baseMs: nonNegativeMs, at50PercentMs: nonNegativeMs, at75PercentMs: nonNegativeMs })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

/** Throws a `ConfigError` naming each invalid option (path + problem). */
export function validateLimitsOptions(options: Omit<RequestLimitsOptions, 'clock'>): void {
  const { clock: _clock, ...rest } = options as RequestLimitsOptions;
  const result = requestLimitsOptionsSchema.safeParse(rest);
  if (result.success) return;
  const issues = result.error.issues.map((i) => ({
    path: ['limits', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new ConfigError(
    `Invalid emulator limits: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}. ` +
      'hourlyLimit and threadLimit are integers ≥ 1, statuses 429 or 500, latencies 0–600000 ms.',
    issues,
  );
}
