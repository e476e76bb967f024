/**
 * `autotask-sync emulator`: runs the local Autotask REST API emulator over HTTP until SIGINT/SIGTERM.
 * Prints its base URL and the credentials to use (one JSON line with `--json`). The emulator's demo
 * credentials are not real secrets; this startup output is the only place the secret is printed.
 */
import { resolve } from 'node:path';

import { InvalidArgumentError, Option, type Command } from 'commander';

import { createEmulator } from '../../emulator/index.js';
import type { EmulatorOptions } from '../../emulator/options.js';
import { ConfigError } from '../../shared/errors.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import type { CommandModule } from './index.js';

/** @default port of the emulator when `--port` is not given */
export const DEFAULT_EMULATOR_PORT = 8765;

interface EmulatorFlags {
  port: number;
  host: string;
  data?: string;
  seed: 'demo' | 'empty';
  records: number;
  randomSeed: number;
  username?: string;
  secret?: string;
  integrationCode?: string;
  hourlyLimit: number;
  threadLimit: number;
  latencyMs: number;
  faultRate: number;
  json?: boolean;
}

function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}".`);
    }
    return n;
  };
}

function rate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidArgumentError(`expected a fault rate from 0 to 1 (e.g. 0.05), got "${value}".`);
  }
  return n;
}

function emulatorOptions(flags: EmulatorFlags, ctx: CliContext): EmulatorOptions {
  const credentials: EmulatorOptions['credentials'] = {
    ...(flags.username === undefined ? {} : { userName: flags.username }),
    ...(flags.secret === undefined ? {} : { secret: flags.secret }),
    ...(flags.integrationCode === undefined ? {} : { integrationCode: flags.integrationCode }),
  };
  return {
    seed: flags.seed,
    records: flags.records,
    randomSeed: flags.randomSeed,
    credentials,
    hourlyLimit: flags.hourlyLimit,
    threadLimit: flags.threadLimit,
    latency: { baseMs: flags.latencyMs },
    faults: { faultRate: flags.faultRate },
    ...(flags.data === undefined ? {} : { dataFile: resolve(ctx.cwd, flags.data) }),
  };
}

async function run(flags: EmulatorFlags, ctx: CliContext): Promise<void> {
  const emulator = createEmulator(emulatorOptions(flags, ctx));
  try {
    let listening;
    try {
      listening = await emulator.listen({ port: flags.port, host: flags.host });
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new ConfigError(
        code === 'EADDRINUSE'
          ? `Port ${flags.port} on ${flags.host} is already in use. Choose another with --port (0 picks a free one).`
          : `The emulator cannot listen on ${flags.host}:${flags.port}: ${(error as Error).message}`,
        [{ path: '--port', message: String(code ?? 'listen failed') }],
        error,
      );
    }
    const { userName, secret, integrationCode } = emulator.credentials;
    const zoneUrl = `${listening.url}V1.0/zoneInformation?user=${encodeURIComponent(userName)}`;
    if (flags.json) {
      ctx.stdout.write(
        `${JSON.stringify({
          url: listening.url,
          zoneInformationUrl: zoneUrl,
          userName,
          secret,
          integrationCode,
          dataFile: flags.data === undefined ? null : resolve(ctx.cwd, flags.data),
          records: emulator.tenant.tables.Companies.size(),
        })}\n`,
      );
    } else {
      ctx.stdout.write(
        [
          `Autotask REST API emulator listening on ${listening.url}`,
          `  zone discovery:      ${zoneUrl}`,
          `  UserName:            ${userName}`,
          `  Secret:              ${secret}`,
          `  ApiIntegrationCode:  ${integrationCode}`,
          `  data:                ${flags.data === undefined ? 'in memory (lost on exit)' : resolve(ctx.cwd, flags.data)}`,
          `  limits:              ${flags.hourlyLimit} requests/hour, ${flags.threadLimit} threads per entity`,
          'Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
    }
    if (!ctx.signal.aborted) {
      await new Promise<void>((done) => ctx.signal.addEventListener('abort', () => done(), { once: true }));
    }
  } finally {
    await emulator.close();
  }
  if (!flags.json) ctx.stdout.write('Emulator stopped.\n');
}

export const emulatorCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('emulator')
      .description('Run the local Autotask REST API emulator (for demos, tests and your own integrations).')
      .option('--port <n>', 'TCP port (0 picks a free one)', wholeNumber(0, 65535), DEFAULT_EMULATOR_PORT)
      .option('--host <address>', 'interface to bind', '127.0.0.1')
      .option(
        '--data <file>',
        'SQLite file that keeps the tenant across restarts (created and seeded if missing)',
      )
      .addOption(
        new Option('--seed <kind>', 'seed data of a new tenant').choices(['demo', 'empty']).default('demo'),
      )
      .option(
        '--records <n>',
        'generated companies for load tests (~2N contacts, N/2 opportunities)',
        wholeNumber(0),
        0,
      )
      .option('--random-seed <n>', 'seed of the deterministic data generator', wholeNumber(0), 1)
      .option('--username <name>', 'API user name to accept (default api.user@emulator.local)')
      .option('--secret <secret>', 'API user secret to accept (default: the documented demo secret)')
      .option('--integration-code <code>', 'ApiIntegrationCode to accept (default: the documented demo code)')
      .option('--hourly-limit <n>', 'requests per rolling hour for the tenant', wholeNumber(1), 10_000)
      .option('--thread-limit <n>', 'concurrent requests per integration code and entity', wholeNumber(1), 3)
      .option(
        '--latency-ms <n>',
        'latency added to every request (usage latency comes on top)',
        wholeNumber(0),
        0,
      )
      .option('--fault-rate <r>', 'probability (0-1) of a random fault per request', rate, 0)
      .option('--json', 'print the startup details as one JSON line')
      .action(async (flags: EmulatorFlags) => {
        await run(flags, ctx);
        setExitCode(ExitCode.Success);
      });
  },
};
