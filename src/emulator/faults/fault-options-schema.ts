import { z } from 'zod';

import { ConfigError } from '../../shared/errors.js';
import { FAULT_KINDS, type FaultInjectorOptions, type FaultRule } from './types.js';

const kindSchema = z.enum(FAULT_KINDS);

/** Schema of one rule (control endpoint bodies, config files). */
export const faultRuleSchema = z
  .object({
    match: z
      .object({
        method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
        entity: z.string().min(1),
        isWrite: z.boolean(),
        pathContains: z.string().min(1),
      })
      .partial()
      .strict()
      .optional(),
    kind: kindSchema,
    times: z.number().int().min(1).nullable().optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
  })
  .strict();

/** Schema of the injector's options. */
export const faultInjectorOptionsSchema = z
  .object({
    faultRate: z.number().min(0).max(1),
    seed: z.number().int(),
    kinds: z.array(kindSchema).min(1),
    slowMs: z.number().int().min(0).max(600_000),
    rules: z.array(faultRuleSchema),
  })
  .partial()
  .strict();

function toConfigError(what: string, error: z.ZodError, hint: string): ConfigError {
  const issues = error.issues.map((i) => ({
    path: ['faults', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  return new ConfigError(
    `Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}. ${hint}`,
    issues,
  );
}

const KINDS_HINT = `Fault kinds are: ${FAULT_KINDS.join(', ')}.`;

/** Parses untrusted input (JSON from a control endpoint or CLI) into options, or throws `ConfigError`. */
export function parseFaultInjectorOptions(input: unknown): FaultInjectorOptions {
  const result = faultInjectorOptionsSchema.safeParse(input);
  if (!result.success) {
    throw toConfigError(
      'fault-injection options',
      result.error,
      `faultRate is 0–1, seed an integer, slowMs 0–600000. ${KINDS_HINT}`,
    );
  }
  return result.data as FaultInjectorOptions;
}

/** Parses one rule, or throws `ConfigError`. */
export function parseFaultRule(input: unknown): FaultRule {
  const result = faultRuleSchema.safeParse(input);
  if (!result.success) {
    throw toConfigError('fault rule', result.error, `times is ≥ 1 or null (forever). ${KINDS_HINT}`);
  }
  return result.data as FaultRule;
}
