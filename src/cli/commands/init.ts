/**
 * `autotask-sync init --company FILE [--contact FILE] [--opportunity FILE] [--output FILE] [--yes]`:
 * writes a commented configuration. Reads each source's columns (CSV/JSON Lines headers, SQLite or
 * PostgreSQL table columns), proposes field mappings by name similarity, marks Autotask's required
 * fields and fills sensible defaults (company type Prospect, contact Active 1, ...). Uses the tenant's
 * live metadata (with its UDFs) when credentials are set, else Autotask's standard field list. Asks
 * before writing when stdin is a terminal; `--yes` never asks.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';

import type { Command } from 'commander';

import type { FieldInformation, UserDefinedFieldInformation } from '../../autotask/types.js';
import { parseConfig } from '../../config/load-config.js';
import { OBJECT_ENTITIES, type WritableObject } from '../../config/objects.js';
import type { Source } from '../../connectors/source.js';
import { createSource } from '../../connectors/sources/create-source.js';
import { createEntitySchema } from '../../emulator/metadata/entity-schemas.js';
import { ConfigError } from '../../shared/errors.js';
import { redactText } from '../../shared/redact.js';
import { connect, envSecrets, type Connection } from '../connect.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { guessDateFormat } from '../init/guess-date-format.js';
import { usesDecimalComma } from '../init/guess-number-format.js';
import { proposeMappings, type MappingProposal, type ProposedMapping } from '../init/propose-mappings.js';
import { renderConfig, yamlScalar, type InitSync } from '../init/render-config.js';
import { DATABASE_URL_VARIABLE, parseSourceArgument, redactUrl } from '../init/source-argument.js';
import { colourEnabled, createColours, type Colours } from '../render/colour.js';
import { reportError } from '../render/error-output.js';
import { writeJson } from '../render/json-output.js';
import { renderTable } from '../render/table.js';
import type { CommandModule } from './index.js';

/** @default file `init` writes */
export const DEFAULT_INIT_OUTPUT = 'sync.config.yaml';
/** @default state database named in the new configuration (relative to it) */
export const DEFAULT_INIT_STATE = '.autotask-sync/state.sqlite';

interface InitFlags {
  company?: string;
  contact?: string;
  opportunity?: string;
  output: string;
  force?: boolean;
  yes?: boolean;
  offline?: boolean;
  json?: boolean;
  verbose?: boolean;
}

const SYNC_NAMES: Readonly<Record<WritableObject, string>> = {
  Company: 'companies',
  Contact: 'contacts',
  Opportunity: 'opportunities',
};

export const initCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('init')
      .description(
        'Write a commented configuration: reads source columns, proposes field mappings, fills required defaults.',
      )
      .option(
        '--company <source>',
        'source of companies: file.csv, file.jsonl, db.sqlite#table, postgres://…#table',
      )
      .option('--contact <source>', 'source of contacts (same forms)')
      .option('--opportunity <source>', 'source of opportunities (same forms)')
      .option('--output <file>', 'configuration file to write', DEFAULT_INIT_OUTPUT)
      .option('--force', 'overwrite the output file if it exists')
      .option('--yes', 'write without asking (for scripts)')
      .option('--offline', "use Autotask's standard field list even when credentials are set")
      .option('--json', 'print one JSON document (implies --yes)')
      .option('--verbose', 'print each Autotask API call (secrets never shown)')
      .action(async (flags: InitFlags) => setExitCode(await initAction(ctx, flags)));
  },
};

type Metadata = { fields: FieldInformation[]; udfs: UserDefinedFieldInformation[] };

async function initAction(ctx: CliContext, flags: InitFlags): Promise<number> {
  const colours = createColours(!flags.json && colourEnabled(ctx.stdout, ctx.env));
  let secrets = envSecrets(ctx.env);
  let connection: Connection | undefined;
  try {
    const wanted = (
      [
        ['Company', flags.company],
        ['Contact', flags.contact],
        ['Opportunity', flags.opportunity],
      ] as const
    ).filter((p): p is readonly [WritableObject, string] => p[1] !== undefined);
    if (wanted.length === 0)
      throw new ConfigError(
        'name at least one source, e.g. `autotask-sync init --company companies.csv --contact contacts.csv`',
        [{ path: '--company', message: 'no source given' }],
      );
    const output = resolve(ctx.cwd, flags.output);
    if (existsSync(output) && !flags.force)
      throw new ConfigError(
        `${flags.output} already exists: choose another --output, or --force to replace it`,
        [{ path: '--output', message: 'file exists' }],
      );

    let live = false;
    let offlineReason = flags.offline ? 'asked for with --offline' : '';
    if (!flags.offline) {
      try {
        connection = connect(ctx, { verbose: flags.verbose });
        secrets = connection.secrets;
        live = true;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        offlineReason = 'no Autotask credentials in the environment or .env';
      }
    }
    const metadataOf = async (object: WritableObject): Promise<Metadata> => {
      const entity = OBJECT_ENTITIES[object];
      if (connection !== undefined && live) {
        try {
          return {
            fields: await connection.client.metadata.fields(entity),
            udfs: await connection.client.metadata.udfs(entity),
          };
        } catch (error) {
          live = false;
          offlineReason = `live metadata could not be read (${error instanceof Error ? error.message : String(error)})`;
        }
      }
      return { fields: createEntitySchema(entity).fields, udfs: [] };
    };

    const syncs: (InitSync & { columns: string[] })[] = [];
    const notes: string[] = [];
    for (const [object, arg] of wanted) {
      const parsed = parseSourceArgument(arg, ctx.cwd, dirname(output), yamlScalar);
      notes.push(...parsed.notes);
      const source = createSource(parsed.spec);
      const { columns } = await source.describe();
      const metadata = await metadataOf(object);
      const proposal = proposeMappings(object, columns, metadata);
      await addValueFormats(proposal, metadata, source);
      syncs.push({
        name: SYNC_NAMES[object],
        proposal,
        sourceYaml: parsed.yaml,
        sourceLabel: redactUrl(source.name),
        columns,
      });
    }
    // Contacts and opportunities referring to companies read best after them: keep object order.
    const text = renderConfig(syncs, { stateFile: DEFAULT_INIT_STATE });
    parseConfig(text, {
      file: output,
      env: {
        ...ctx.env,
        [DATABASE_URL_VARIABLE]: ctx.env[DATABASE_URL_VARIABLE] ?? 'postgres://localhost/db',
      },
    });
    const metadataNote = live
      ? "the tenant's live metadata"
      : `Autotask's standard field list; ${offlineReason}, so UDFs are not included`;

    if (!flags.json) ctx.stdout.write(renderProposals(syncs, colours, metadataNote));
    let write = true;
    if (!flags.json && !flags.yes && ctx.stdin?.isTTY === true)
      write = await confirm(ctx, `Write ${flags.output}? [Y/n] `);
    if (write) writeFileSync(output, text, { mode: 0o644 });
    if (flags.json)
      writeJson(
        ctx.stdout,
        {
          ok: true,
          file: output,
          written: write,
          metadata: live ? 'live' : 'standard',
          syncs: syncs.map((s) => ({
            name: s.name,
            object: s.proposal.object,
            columns: s.columns,
            mappings: s.proposal.mappings,
            defaults: s.proposal.defaults,
            missing: s.proposal.missing,
            unmatched: s.proposal.unmatched,
          })),
          notes,
        },
        secrets,
      );
    else if (write) {
      const shown = relative(ctx.cwd, output);
      const name = shown === '' || shown.startsWith('..') || isAbsolute(shown) ? output : shown;
      const missing = syncs.reduce((n, s) => n + s.proposal.missing.length, 0);
      ctx.stdout.write(
        [
          '',
          `${colours.green('✓')} Wrote ${name}.`,
          ...notes.map((n) => `Note: ${n}`),
          missing > 0
            ? colours.yellow(
                `${missing} required field${missing === 1 ? ' needs' : 's need'} a column or a default: see the lines marked REQUIRED.`,
              )
            : '',
          'Next:',
          ...[
            // Credentials that just answered need no step of their own.
            ...(live
              ? []
              : [
                  'put AUTOTASK_TOKEN (or AUTOTASK_USERNAME + AUTOTASK_SECRET) and AUTOTASK_INTEGRATION_CODE in .env',
                ]),
            `autotask-sync check --config ${name}     lint it against your tenant`,
            `autotask-sync plan --config ${name}      see what would change, and the API calls it costs`,
            `autotask-sync run --config ${name}`,
          ].map((step, i) => `  ${i + 1}. ${step}`),
          '',
        ]
          .filter((l) => l !== '')
          .join('\n') + '\n',
      );
    } else ctx.stdout.write('Nothing written.\n');
    return ExitCode.Success;
  } catch (error) {
    return reportError(ctx, error, { json: flags.json, secrets, colours });
  } finally {
    connection?.close();
  }
}

/** How many rows `init` reads to guess date and number formats. @default */
export const DATE_SAMPLE_ROWS = 200;

const NUMBER_TYPES = new Set(['double', 'decimal', 'integer', 'short', 'long']);

/**
 * Gives columns mapped to date fields the `date` transform their values need (ISO needs none), and
 * columns mapped to number fields `{ type: number, decimal: "," }` when written with a decimal comma.
 */
async function addValueFormats(proposal: MappingProposal, metadata: Metadata, source: Source): Promise<void> {
  const types = new Map<string, string>([
    ...metadata.fields
      .filter((f) => !f.isPickList && !f.isReference)
      .map((f) => [f.name, f.dataType] as [string, string]),
    ...metadata.udfs.map((u) => [`udf:${u.name}`, u.type] as [string, string]),
  ]);
  const typeOf = (m: ProposedMapping): string => types.get(m.field) ?? '';
  const dated = proposal.mappings.filter((m) => typeOf(m) === 'datetime' || typeOf(m) === 'date');
  const numeric = proposal.mappings.filter((m) => NUMBER_TYPES.has(typeOf(m)));
  if (dated.length === 0 && numeric.length === 0) return;
  const samples = new Map<string, string[]>([...dated, ...numeric].map((m) => [m.column, []]));
  let rows = 0;
  for await (const record of source.read()) {
    for (const [column, values] of samples) {
      const value = record.values[column];
      if (typeof value === 'string') values.push(value);
    }
    if (++rows >= DATE_SAMPLE_ROWS) break;
  }
  for (const m of dated) {
    const guess = guessDateFormat(samples.get(m.column) ?? []);
    if (guess === undefined) continue;
    m.transform = [{ type: 'date', format: guess.format }];
    if (!guess.certain) m.uncertainFormat = true;
  }
  for (const m of numeric)
    if (usesDecimalComma(samples.get(m.column) ?? [])) m.transform = [{ type: 'number', decimal: ',' }];
}

async function confirm(ctx: CliContext, question: string): Promise<boolean> {
  if (ctx.stdin === undefined) return true;
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr });
  try {
    const answer = (await rl.question(question)).trim().toLowerCase();
    return answer === '' || answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}

function renderProposals(
  syncs: readonly (InitSync & { columns: string[] })[],
  colours: Colours,
  metadataNote: string,
): string {
  const out: string[] = [`Proposed mappings, from ${metadataNote}:`];
  for (const s of syncs) {
    const p: MappingProposal = s.proposal;
    out.push(
      '',
      `${colours.bold(s.name)} (${p.object}) from ${s.sourceLabel}: ${s.columns.length} column${s.columns.length === 1 ? '' : 's'}`,
    );
    const rows = p.mappings.map((m) => [
      m.column,
      m.field,
      m.required ? colours.bold('required') : '',
      m.match === 'similar' ? colours.yellow('similar name: check') : m.match,
      [
        m.ref ? `ref ${m.ref}` : '',
        ...(m.transform ?? []).map((t) =>
          typeof t === 'string'
            ? ''
            : t.type === 'date'
              ? `date ${t.format}${m.uncertainFormat ? '?' : ''}`
              : 'decimal comma',
        ),
      ]
        .filter((x) => x !== '')
        .join(', '),
    ]);
    if (rows.length > 0)
      out.push(renderTable(['column', 'autotask field', '', 'matched by', ''], rows, { indent: '  ' }));
    for (const d of p.defaults)
      out.push(`  ${d.field} = ${String(d.value)} by default (required: ${d.reason})`);
    for (const m of p.missing)
      out.push(
        colours.yellow(
          `  ${m.field}: REQUIRED, no column matched (${m.reason}): map one in the file` +
            (m.labels ? `, or give a default: ${m.labels.join(', ')}` : ''),
        ),
      );
    if (p.unmatched.length > 0) out.push(colours.dim(`  not mapped: ${p.unmatched.join(', ')}`));
  }
  return redactText(`${out.join('\n')}\n`, []);
}
