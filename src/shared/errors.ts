/**
 * Base of every error the product raises. `code` is stable (tests, the web UI and `--json` output
 * match on it); `details` carries context for people and machines. Nothing here may hold a secret:
 * subclasses redact before they call `super`.
 */
export class AppError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }

  toJSON(): { name: string; code: string; message: string; details: Readonly<Record<string, unknown>> } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/** Invalid configuration or command-line input. Exit code 2. */
export class ConfigError extends AppError {
  /** Every problem found, each with the path to the offending setting. */
  readonly issues: readonly { path: string; message: string }[];

  constructor(message: string, issues: readonly { path: string; message: string }[] = [], cause?: unknown) {
    super('CONFIG_INVALID', message, { cause, details: { issues } });
    this.issues = issues;
  }
}

/** A source (file, table) could not be read; `location` says where (file:line or table). */
export class SourceError extends AppError {
  constructor(message: string, details: { location: string } & Record<string, unknown>, cause?: unknown) {
    super('SOURCE_ERROR', message, { cause, details });
  }
}

/** The local state store failed. */
export class StateStoreError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('STATE_STORE_ERROR', message, { cause });
  }
}
