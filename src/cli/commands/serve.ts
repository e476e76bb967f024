/**
 * `autotask-sync serve --config FILE [--port N] [--host ADDR]`: serves the configuration's `intakes:`
 * (web forms, Autotask webhooks) until Ctrl+C; see docs/intake.md.
 *
 * `autotask-sync intake list|show|retry --config FILE`: the queue as the CLI sees it — items and their
 * outcomes, the dead-letter list, and retrying dead items.
 */
import { isAbsolute, resolve } from 'node:path';

import { Option, type Command } from 'commander';

import { loadConfig } from '../../config/load-config.js';
import type { SyncConfig } from '../../config/types.js';
import type { IntakeSpec } from '../../intake/intake-config-schema.js';
import { DEFAULT_INTAKE_PORT, startIntakeService } from '../../intake/intake-service.js';
import { IntakeQueue, type IntakeItem, type IntakeItemStatus } from '../../intake/queue/intake-queue.js';
import { systemClock } from '../../shared/clock.js';
import { ConfigError } from '../../shared/errors.js';
import { redactText } from '../../shared/redact.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import type { CommandModule } from './index.js';
import { reportAutotaskError } from './run.js';
import { withSyncSession } from './sync-session.js';

interface ServeFlags {
  config: string;
  port: number;
  host: string;
  json?: boolean;
}

interface IntakeFlags {
  config: string;
  intake?: string;
  status?: IntakeItemStatus;
  limit: number;
  json?: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`--port must be 0–65535 (got ${value})`);
  return n;
}

/** The intakes of a configuration, SQLite table paths made absolute against its folder. */
export function configuredIntakes(config: SyncConfig): IntakeSpec[] {
  return config.intakes.map((spec) =>
    spec.type === 'autotask-webhook' && spec.table?.type === 'sqlite' && !isAbsolute(spec.table.path)
      ? { ...spec, table: { ...spec.table, path: resolve(config.dir, spec.table.path) } }
      : spec,
  );
}

function intakeSecrets(intakes: readonly IntakeSpec[]): string[] {
  return intakes.map((i) => (i.type === 'autotask-webhook' ? i.secret : i.auth.secret));
}

async function serveAction(ctx: CliContext, flags: ServeFlags): Promise<number> {
  try {
    return await withSyncSession(
      ctx,
      { config: flags.config },
      async ({ deps, config, secrets, engineOptions }) => {
        const intakes = configuredIntakes(config);
        if (intakes.length === 0)
          throw new ConfigError(
            `${flags.config} has no intakes: add an \`intakes:\` section (see docs/intake.md)`,
            [{ path: 'intakes', message: 'at least one intake is needed to serve' }],
          );
        const all = [...secrets, ...intakeSecrets(intakes)];
        const service = await startIntakeService({
          intakes,
          statePath: config.state,
          twoWay: config.twoWay,
          engine: { client: deps.client, state: deps.state, clock: deps.clock, logger: deps.logger },
          engineOptions,
          port: flags.port,
          host: flags.host,
        }).catch((error: unknown) => {
          const code = (error as { code?: string }).code;
          if (code === 'EADDRINUSE')
            throw new ConfigError(
              `Port ${flags.port} on ${flags.host} is already in use: choose another with --port`,
              [{ path: '--port', message: code }],
            );
          throw error;
        });
        const urls = intakes.map((i) => ({
          name: i.name,
          type: i.type,
          url: `${service.origin}/intake/${i.name}`,
        }));
        if (flags.json)
          ctx.stdout.write(
            `${JSON.stringify({ origin: service.origin, port: service.port, intakes: urls })}\n`,
          );
        else {
          ctx.stdout.write(`autotask-sync serve listening on ${service.origin}\n`);
          for (const u of urls) ctx.stdout.write(`  ${u.type.padEnd(16)} ${redactText(u.url, all)}\n`);
          if (flags.host !== '127.0.0.1' && flags.host !== '::1' && flags.host !== 'localhost')
            ctx.stderr.write(`warning: bound to ${flags.host}: put TLS (a reverse proxy) in front of it\n`);
          ctx.stdout.write('Press Ctrl+C to stop.\n');
        }
        if (!ctx.signal.aborted)
          await new Promise<void>((done) =>
            ctx.signal.addEventListener('abort', () => done(), { once: true }),
          );
        await service.close();
        if (!flags.json) ctx.stdout.write('Stopped.\n');
        return ExitCode.Success;
      },
    );
  } catch (error) {
    return reportAutotaskError(ctx, error);
  }
}

function withQueue<T>(ctx: CliContext, flags: IntakeFlags, fn: (queue: IntakeQueue) => T): T {
  const { config } = loadConfig(flags.config, { env: ctx.env, cwd: ctx.cwd });
  const queue = new IntakeQueue({ path: config.state, clock: systemClock });
  try {
    return fn(queue);
  } finally {
    queue.close();
  }
}

function line(item: IntakeItem): string {
  const when = new Date(item.receivedAt).toISOString();
  const ids = (item.outcome?.records ?? [])
    .map((r) => `${r.name}:${r.action}${r.autotaskId === null ? '' : `#${r.autotaskId}`}`)
    .join(' ');
  const error = item.status === 'done' || item.lastError === null ? '' : `  ${item.lastError}`;
  return `${String(item.id).padStart(6)}  ${item.intake.padEnd(16)} ${item.status.padEnd(10)} ${String(item.attempts).padStart(2)}  ${when}  ${ids}${error}\n`;
}

export const serveCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('serve')
      .description('Serve the intakes of a configuration (web forms, Autotask webhooks) and process them.')
      .requiredOption('--config <file>', 'configuration file (YAML)')
      .option('--port <n>', 'TCP port (0 picks a free one)', port, DEFAULT_INTAKE_PORT)
      .option('--host <address>', 'interface to bind (loopback unless you put TLS in front)', '127.0.0.1')
      .option('--json', 'print the listening address as one JSON line')
      .action(async (flags: ServeFlags) => setExitCode(await serveAction(ctx, flags)));

    const intake = program
      .command('intake')
      .description('Look at the intake queue of `serve`: items, outcomes, dead letters; retry dead items.');
    const common = (cmd: Command): Command =>
      cmd
        .requiredOption('--config <file>', 'configuration file (YAML)')
        .option('--intake <name>', 'only this intake')
        .option('--json', 'print JSON');
    common(
      intake
        .command('list')
        .description('Items, newest first (`--status dead` is the dead-letter list).')
        .addOption(
          new Option('--status <status>', 'only items in this state').choices([
            'queued',
            'processing',
            'done',
            'dead',
          ]),
        )
        .option('--limit <n>', 'at most this many', (v) => Number(v), 50),
    ).action((flags: IntakeFlags) => {
      const items = withQueue(ctx, flags, (q) =>
        q.list({
          ...(flags.intake === undefined ? {} : { intake: flags.intake }),
          ...(flags.status === undefined ? {} : { status: flags.status }),
          limit: flags.limit,
        }),
      );
      if (flags.json) ctx.stdout.write(`${JSON.stringify(items.map(({ body: _body, ...rest }) => rest))}\n`);
      else {
        ctx.stdout.write(
          `${'id'.padStart(6)}  ${'intake'.padEnd(16)} ${'status'.padEnd(10)} at  received                  outcome\n`,
        );
        for (const item of items) ctx.stdout.write(line(item));
      }
      setExitCode(ExitCode.Success);
    });
    common(intake.command('show').description('One item: state, attempts, outcome.').argument('<id>')).action(
      (id: string, flags: IntakeFlags) => {
        const item = withQueue(ctx, flags, (q) => q.get(Number(id)));
        if (item === undefined) {
          ctx.stderr.write(`error: no intake item ${id}\n`);
          setExitCode(ExitCode.ConfigError);
          return;
        }
        const { body: _body, ...rest } = item;
        ctx.stdout.write(`${JSON.stringify(rest, null, flags.json ? undefined : 2)}\n`);
        setExitCode(ExitCode.Success);
      },
    );
    common(
      intake
        .command('retry')
        .description(
          'Put dead items (these ids, or all of them) back in the queue; the next `serve` processes them.',
        )
        .argument('[ids...]'),
    ).action((ids: string[], flags: IntakeFlags) => {
      const n = withQueue(ctx, flags, (q) => q.retryDead(flags.intake, ids.map(Number)));
      ctx.stdout.write(
        flags.json
          ? `${JSON.stringify({ requeued: n })}\n`
          : `${n} dead item${n === 1 ? '' : 's'} queued again\n`,
      );
      setExitCode(ExitCode.Success);
    });
  },
};
