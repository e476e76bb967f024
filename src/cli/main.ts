import { Command, CommanderError } from 'commander';

import { AppError, ConfigError } from '../shared/errors.js';
import { COMMANDS } from './commands/index.js';
import type { CliContext } from './context.js';
import { ExitCode } from './exit-codes.js';
import { exitCodeForError } from './render/error-output.js';

function defaultContext(): CliContext {
  const controller = new AbortController();
  const stop = (): void => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // `autotask-sync history | head`: a reader that goes away is not an error.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  };
}

/**
 * Entry point of the `autotask-sync` command. Returns the process exit code (see `ExitCode`).
 */
export async function main(argv: readonly string[], ctx: CliContext = defaultContext()): Promise<number> {
  let exitCode: number = ExitCode.Success;
  const program = new Command('autotask-sync')
    .description('Keep Autotask PSA in step with files and SQL databases, within the API budget.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .showHelpAfterError();
  for (const load of COMMANDS) (await load()).register(program, ctx, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError)
      return error.exitCode === 0 ? ExitCode.Success : ExitCode.ConfigError;
    if (error instanceof ConfigError) {
      ctx.stderr.write(`error: ${error.message}\n`);
      for (const issue of error.issues) ctx.stderr.write(`  ${issue.path}: ${issue.message}\n`);
      return ExitCode.ConfigError;
    }
    if (error instanceof AppError) {
      ctx.stderr.write(`error [${error.code}]: ${error.message}\n`);
      return exitCodeForError(error);
    }
    ctx.stderr.write(
      `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.InternalError;
  }
}
