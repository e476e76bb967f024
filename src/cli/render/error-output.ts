/**
 * How a command reports the error that stopped it, and which exit code that means: configuration
 * problems (2) list every issue with its path; Autotask connection and credential problems (3) and an
 * exhausted budget (4) print the client's message, which says which setting is likely wrong. With
 * `--json` the error is also one JSON document on stdout. Everything is redacted of the secrets.
 */
import { AutotaskError } from '../../autotask/errors.js';
import { AppError, ConfigError } from '../../shared/errors.js';
import { redactText } from '../../shared/redact.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import type { Colours } from './colour.js';
import { writeJson } from './json-output.js';

/** Exit code for an error that stopped a command. */
export function exitCodeForError(error: unknown): number {
  if (error instanceof ConfigError) return ExitCode.ConfigError;
  if (error instanceof AutotaskError) {
    if (error.code === 'AUTOTASK_BUDGET_EXHAUSTED' || error.code === 'AUTOTASK_RATE_LIMITED')
      return ExitCode.BudgetExhausted;
    return ExitCode.ConnectionError;
  }
  if (error instanceof AppError && error.code === 'STATE_LOCKED') return ExitCode.StateLocked;
  if (error instanceof AppError && (error.code === 'SOURCE_ERROR' || error.code === 'EMULATOR_DATA_FILE'))
    return ExitCode.ConfigError;
  return ExitCode.InternalError;
}

/**
 * The message without the issues' own messages when it ends with them (`the Autotask connection is not
 * configured: <issue 1>; <issue 2>`): they are printed below it, one per line, so saying them twice
 * buried the point in a wall of text.
 */
export function headline(message: string, issues: readonly { message: string }[]): string {
  if (issues.length === 0) return message;
  const tail = issues
    .map((i) => i.message)
    .join('; ')
    .replace(/\.$/, '');
  const body = message.replace(/\.$/, '');
  if (!body.endsWith(tail) || body.length === tail.length) return message;
  return body.slice(0, body.length - tail.length).replace(/[\s:;,.-]+$/, '');
}

/** Prints `error` (stderr, and stdout as JSON with `json`) and returns its exit code. */
export function reportError(
  ctx: CliContext,
  error: unknown,
  options: { json?: boolean | undefined; secrets: readonly string[]; colours?: Colours },
): number {
  const code = exitCodeForError(error);
  const clean = (s: string): string => redactText(s, options.secrets);
  const red = options.colours?.red ?? ((s: string) => s);
  if (error instanceof AppError) {
    const issues = error instanceof ConfigError ? error.issues : [];
    ctx.stderr.write(`${red('error')} [${error.code}]: ${clean(headline(error.message, issues))}\n`);
    for (const issue of issues) ctx.stderr.write(`  ${issue.path}: ${clean(issue.message)}\n`);
    if (options.json)
      writeJson(
        ctx.stdout,
        {
          ok: false,
          exitCode: code,
          error: {
            code: error.code,
            message: error.message,
            ...(issues.length > 0 ? { issues } : {}),
          },
        },
        options.secrets,
      );
    return code;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  ctx.stderr.write(`internal error: ${clean(text)}\n`);
  if (options.json)
    writeJson(
      ctx.stdout,
      {
        ok: false,
        exitCode: code,
        error: { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) },
      },
      options.secrets,
    );
  return code;
}
