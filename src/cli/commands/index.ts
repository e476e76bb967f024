import type { Command } from 'commander';

import type { CliContext } from '../context.js';

/**
 * A CLI command module. Each command lives in its own file under `commands/` and is listed in
 * `COMMANDS` below. `register` adds the command to the program; its action sets `setExitCode`.
 */
export interface CommandModule {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void;
}

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly (() => Promise<CommandModule>)[] = [
  () => import('./run.js').then((m) => m.runCommand),
  () => import('./plan.js').then((m) => m.planCommand),
  () => import('./export.js').then((m) => m.exportCommand),
  () => import('./emulator.js').then((m) => m.emulatorCommand),
];
