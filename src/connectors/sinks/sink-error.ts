import { AppError } from '../../shared/errors.js';

/** A destination could not be written; `destination` names it (file path or table, no password). */
export class SinkError extends AppError {
  constructor(message: string, details: { destination: string } & Record<string, unknown>, cause?: unknown) {
    super('SINK_ERROR', message, { cause, details });
  }
}
