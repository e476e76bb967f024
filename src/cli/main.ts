import { Command, CommanderError } from 'commander';

import { readFileSync } from 'node:fs';

import { COMMANDS } from './commands/index.js';
import { envSecrets } from './connect.js';
import type { CliContext } from './context.js';
import { ExitCode } from './exit-codes.js';
import { reportError } from './render/error-output.js';

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
    .version(packageVersion(), '-V, --version', 'print the version of autotask-sync')
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
    // An error no command reported itself: printed like theirs (code, issues, redacted), and as the
    // JSON document on stdout that `--json` promises.
    return reportError(ctx, error, { json: argv.includes('--json'), secrets: envSecrets(ctx.env) });
  }
}

/** The `version` of this package's package.json (dist/cli/main.js and src/cli/main.ts both sit two levels down). */
function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
