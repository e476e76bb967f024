/**
 * `autotask-sync ui [--port N] [--config FILE] [--host H] [--no-open]`: serves the local web app
 * (connection, mapping editor, plan preview, runs) over the same configuration file and state the
 * CLI uses. Prints the link with its access token; opens it in the browser when on a terminal.
 * Runs until Ctrl-C.
 */
import { spawn } from 'node:child_process';

import type { Command } from 'commander';

import { createLogger } from '../../shared/logger.js';
import { startUiServer } from '../../ui/index.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_CONFIG_FILE } from '../open-state.js';
import type { CommandModule } from './index.js';
import { cliLogDestination } from '../render/log-lines.js';

interface UiFlags {
  config?: string;
  port?: string;
  host?: string;
  open?: boolean;
}

export const uiCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('ui')
      .description('Serve the local web app: connect, map fields, preview the plan, run and browse runs.')
      .option(
        '--config <file>',
        `configuration file to read and write (created on first save)`,
        DEFAULT_CONFIG_FILE,
      )
      .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
      .option('--host <address>', 'interface to bind; keep loopback unless you know why', '127.0.0.1')
      .option('--no-open', 'do not open the browser')
      .action(async (flags: UiFlags) => setExitCode(await uiAction(ctx, flags)));
  },
};

async function uiAction(ctx: CliContext, flags: UiFlags): Promise<number> {
  const port = Number(flags.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    ctx.stderr.write(`error: --port must be a number from 0 to 65535 (got "${flags.port}")\n`);
    return ExitCode.ConfigError;
  }
  const server = await startUiServer({
    configFile: flags.config ?? DEFAULT_CONFIG_FILE,
    env: ctx.env,
    cwd: ctx.cwd,
    port,
    host: flags.host ?? '127.0.0.1',
    logger: createLogger({
      level: ctx.env['AUTOTASK_SYNC_LOG_LEVEL'] ?? 'warn',
      destination: cliLogDestination(ctx.stderr),
    }),
  });
  ctx.stdout.write(
    `autotask-sync web app on ${server.origin}\nOpen this link (it carries the access token; keep it private):\n  ${server.link}\nPress Ctrl-C to stop.\n`,
  );
  if (flags.open !== false && ctx.stdout.isTTY === true) openBrowser(server.link);
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  return ExitCode.Success;
}

/** Best effort: the platform's opener, detached; failures are silent (the link is printed). */
function openBrowser(link: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [link], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no opener available
  }
}
