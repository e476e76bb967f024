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
  () => import('./init.js').then((m) => m.initCommand),
  () => import('./check.js').then((m) => m.checkCommand),
  () => import('./describe.js').then((m) => m.describeCommand),
  () => import('./history.js').then((m) => m.historyCommand),
  () => import('./show.js').then((m) => m.showCommand),
  () => import('./rejects.js').then((m) => m.rejectsCommand),
  () => import('./demo.js').then((m) => m.demoCommand),
  () => import('./serve.js').then((m) => m.serveCommand),
  () => import('./ui.js').then((m) => m.uiCommand),
];
