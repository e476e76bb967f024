/**
 * `autotask-sync check [--config FILE] [--json] [--verbose]`: tests the connection (zone, credentials,
 * API version, the tenant's budget) and, with a configuration, lints it against the tenant's live
 * metadata: required fields mapped or defaulted, picklist defaults valid and active, UDF names, dedupe
 * keys mapped, owner resources that exist and are active, source columns that exist. Each finding says
 * how to fix it. Exit codes: 0 fine (warnings allowed), 2 findings that stop a run, 3 connection.
 */
import type { Command } from 'commander';

import type { AutotaskClient, CheckResult } from '../../autotask/client-types.js';
import { OBJECT_ENTITIES } from '../../config/objects.js';
import type { SyncConfig, SyncSpec } from '../../config/types.js';
import { createSource } from '../../connectors/sources/create-source.js';
import { systemClock } from '../../shared/clock.js';
import { compileMapping, lintMapping, lintSourceColumns } from '../../sync/mapping/index.js';
import type { MappingFinding } from '../../sync/mapping/types.js';
import { connect, envSecrets } from '../connect.js';
import { redactUrl } from '../init/source-argument.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { formatBudgetGauge, nextWindowRelease } from '../render/budget-gauge.js';
import { colourEnabled, createColours, type Colours } from '../render/colour.js';
import { reportError } from '../render/error-output.js';
import { writeJson } from '../render/json-output.js';
import type { CommandModule } from './index.js';

interface CheckFlags {
  config?: string;
  json?: boolean;
  verbose?: boolean;
}

/** What `check` found, as printed with `--json`. */
export interface CheckReport {
  ok: boolean;
  connection: {
    url: string;
    zone: string | null;
    apiVersion: string;
    username: string;
    budget: { used: number; limit: number; allowed: number };
  };
  /** Configuration findings (empty without `--config`). */
  findings: MappingFinding[];
  errors: number;
  warnings: number;
}

export const checkCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('check')
      .description(
        'Test the Autotask connection; with --config, also lint the configuration against live metadata.',
      )
      .option('--config <file>', 'configuration file (YAML); without it only the connection is tested')
      .option('--json', 'print one JSON document')
      .option('--verbose', 'print each Autotask API call (secrets never shown)')
      .action(async (flags: CheckFlags) => setExitCode(await checkAction(ctx, flags)));
  },
};

async function checkAction(ctx: CliContext, flags: CheckFlags): Promise<number> {
  const colours = createColours(!flags.json && colourEnabled(ctx.stdout, ctx.env));
  let secrets = envSecrets(ctx.env);
  let connection;
  try {
    connection = connect(ctx, { config: flags.config, verbose: flags.verbose });
  } catch (error) {
    return reportError(ctx, error, { json: flags.json, secrets, colours });
  }
  secrets = connection.secrets;
  try {
    const result = await connection.client.check();
    const findings =
      connection.config === undefined ? [] : await lintConfig(connection.client, connection.config);
    const budget = connection.client.budget();
    const errors = findings.filter((f) => f.severity === 'error').length;
    const report: CheckReport = {
      ok: errors === 0,
      connection: {
        url: result.url,
        zone: result.zone ?? null,
        apiVersion: result.apiVersion,
        username: connection.settings.username,
        budget,
      },
      findings,
      errors,
      warnings: findings.length - errors,
    };
    if (flags.json) writeJson(ctx.stdout, report, secrets);
    else
      ctx.stdout.write(
        renderCheck(report, result, colours, {
          configured: connection.config !== undefined,
          release: nextWindowRelease(connection.state?.apiUsage, systemClock.now()),
        }),
      );
    return errors > 0 ? ExitCode.ConfigError : ExitCode.Success;
  } catch (error) {
    return reportError(ctx, error, { json: flags.json, secrets, colours });
  } finally {
    connection.close();
  }
}

/** Every finding for the configuration's syncs, in configuration order. */
export async function lintConfig(client: AutotaskClient, config: SyncConfig): Promise<MappingFinding[]> {
  const findings: MappingFinding[] = [];
  for (const [i, sync] of config.syncs.entries()) {
    const path = `syncs[${i}]`;
    const entity = OBJECT_ENTITIES[sync.object];
    const metadata = {
      fields: await client.metadata.fields(entity),
      udfs: await client.metadata.udfs(entity),
    };
    const options = { mode: sync.mode, path, ...(sync.key === undefined ? {} : { key: sync.key }) };
    findings.push(...lintMapping(sync.object, sync.fields, metadata, options));
    findings.push(...(await lintResources(client, sync, path)));
    const compiled = compileMapping(sync.object, sync.fields, metadata, options);
    if (compiled.ok) findings.push(...(await lintSource(sync, path, compiled.mapping)));
  }
  return findings;
}

/** Resources named by a `default` or `value` of a `ref: Resource` mapping must exist and be active. */
async function lintResources(
  client: AutotaskClient,
  sync: SyncSpec,
  path: string,
): Promise<MappingFinding[]> {
  const findings: MappingFinding[] = [];
  for (const [target, spec] of Object.entries(sync.fields)) {
    if (typeof spec === 'string' || spec.ref !== 'Resource') continue;
    for (const kind of ['default', 'value'] as const) {
      const given = spec[kind];
      if (given === undefined || given === null || given === '') continue;
      const where = `${path}.fields.${target}.${kind}`;
      const text = String(given).trim();
      const resources = /^\d+$/.test(text)
        ? [await client.resources.get(Number(text))].filter((r) => r !== undefined)
        : [...(await client.findByValues('Resources', 'email', [text])).values()].flat();
      const resource = resources[0];
      if (resource === undefined)
        findings.push({
          severity: 'error',
          code: 'RESOURCE_NOT_FOUND',
          path: where,
          message: `no Autotask resource has ${/^\d+$/.test(text) ? 'id' : 'email'} "${text}"`,
          fix: 'give the id or email of an active resource (see `autotask-sync describe Resource`, or export Resources)',
        });
      else if (resource['isActive'] === false)
        findings.push({
          severity: 'error',
          code: 'RESOURCE_INACTIVE',
          path: where,
          message: `resource "${text}" (#${resource.id}) is inactive: Autotask refuses it as an owner`,
          fix: 'name an active resource, or reactivate this one in Autotask',
        });
    }
  }
  return findings;
}

/** Columns the mapping reads must exist in the source; a source that cannot be read is an error. */
async function lintSource(
  sync: SyncSpec,
  path: string,
  mapping: Parameters<typeof lintSourceColumns>[0]['mapping'],
): Promise<MappingFinding[]> {
  try {
    const source = createSource(sync.source);
    const { columns } = await source.describe();
    return lintSourceColumns({ mapping, where: sync.where, columns, sourceName: source.name, path });
  } catch (error) {
    return [
      {
        severity: 'error',
        code: 'SOURCE_UNREADABLE',
        path: `${path}.source`,
        message: `the source cannot be read: ${redactUrl(error instanceof Error ? error.message : String(error))}`,
        fix: 'check the path, table or connection URL of the source',
      },
    ];
  }
}

function renderCheck(
  report: CheckReport,
  result: CheckResult,
  colours: Colours,
  extra: { configured: boolean; release: ReturnType<typeof nextWindowRelease> },
): string {
  const out: string[] = [];
  const c = report.connection;
  out.push(
    `${colours.green('✓')} Connected to ${c.url}${c.zone === null ? '' : ` (zone ${c.zone})`} as ${c.username}, API ${result.apiVersion}`,
  );
  out.push(`  ${formatBudgetGauge(c.budget, { release: extra.release })}`);
  if (!extra.configured) {
    out.push('', 'No --config given: only the connection was tested.');
    return `${out.join('\n')}\n`;
  }
  if (report.findings.length === 0) {
    out.push(`${colours.green('✓')} Configuration matches the tenant's metadata: no findings.`);
    return `${out.join('\n')}\n`;
  }
  out.push('');
  for (const f of report.findings) {
    const tag = f.severity === 'error' ? colours.red('error') : colours.yellow('warning');
    out.push(`${tag} ${f.path}: ${f.message}`);
    out.push(`  ${colours.dim('fix:')} ${f.fix}`);
  }
  out.push(
    '',
    `${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}` +
      (report.errors > 0 ? ': fix the errors before `autotask-sync run`.' : '.'),
  );
  return `${out.join('\n')}\n`;
}
