import { Command, CommanderError } from 'commander';

/**
 * Entry point of the `autotask-sync` command. Returns the process exit code (see docs/cli.md):
 * 0 success, 1 some records failed, 2 configuration or usage error, 3 connection or authentication
 * error, 4 budget exhausted.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('autotask-sync')
    .description('Keep Autotask PSA in step with files and SQL databases, within the API budget.')
    .exitOverride()
    .showHelpAfterError();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}
