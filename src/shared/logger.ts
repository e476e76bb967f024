import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

import { SECRET_KEYS } from './redact.js';

/** The logging surface the product uses; pino's logger satisfies it, and so does `silentLogger`. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

const redactPaths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `headers.${k}`, `*.headers.${k}`]).concat([
  'UserName',
  '*.UserName',
  'Secret',
  '*.Secret',
  'ApiIntegrationCode',
  '*.ApiIntegrationCode',
]);

/** A pino logger writing JSON lines to `destination` (stderr by default) with credentials redacted. */
export function createLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): PinoLogger & Logger {
  return pino(
    { level: options.level ?? 'info', redact: { paths: redactPaths, censor: '[REDACTED]' } },
    options.destination ?? pino.destination(2),
  );
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
