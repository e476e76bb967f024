/**
 * `autotask-sync describe <object> [--config FILE] [--field NAME] [--json]`: the object's Autotask
 * fields as the tenant defines them (type, length, required, read-only, reference), every picklist
 * with its labels (inactive values marked), and the user-defined fields. Reads metadata only (cached
 * in the state store with `--config`).
 */
import { InvalidArgumentError, type Command } from 'commander';

import type { FieldInformation, PicklistValue, UserDefinedFieldInformation } from '../../autotask/types.js';
import {
  EXPORT_OBJECT_NAMES,
  OBJECT_ENTITIES,
  canonicalObject,
  type ExportableObject,
} from '../../config/objects.js';
import { PRODUCT_REQUIRED_FIELDS } from '../../sync/mapping/product-rules.js';
import { connect, envSecrets } from '../connect.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { colourEnabled, createColours, type Colours } from '../render/colour.js';
import { reportError } from '../render/error-output.js';
import { writeJson } from '../render/json-output.js';
import { renderTable } from '../render/table.js';
import type { CommandModule } from './index.js';

interface DescribeFlags {
  config?: string;
  field?: string;
  json?: boolean;
  verbose?: boolean;
}

export const describeCommand: CommandModule = {
  register(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
    program
      .command('describe')
      .description('List an object’s Autotask fields: type, required/read-only, picklist labels, UDFs.')
      .argument('<object>', `one of ${EXPORT_OBJECT_NAMES.join(', ')}`, parseObject)
      .option('--config <file>', 'configuration file (YAML) for the connection; default: the environment')
      .option('--field <name>', 'only this field (or udf:Name), with every picklist value')
      .option('--json', 'print one JSON document')
      .option('--verbose', 'print each Autotask API call (secrets never shown)')
      .action(async (object: ExportableObject, flags: DescribeFlags) =>
        setExitCode(await describeAction(ctx, object, flags)),
      );
  },
};

function parseObject(value: string): ExportableObject {
  const found =
    canonicalObject(value) ??
    canonicalObject(value.charAt(0).toUpperCase() + value.slice(1).toLowerCase()) ??
    (Object.entries(OBJECT_ENTITIES).find(([, e]) => e.toLowerCase() === value.toLowerCase())?.[0] as
      ExportableObject | undefined);
  if (found === undefined)
    throw new InvalidArgumentError(
      `"${value}" is not an Autotask object: use one of ${EXPORT_OBJECT_NAMES.join(', ')}.`,
    );
  return found;
}

/** One field as `describe --json` prints it. */
export interface DescribedField {
  name: string;
  type: string;
  length: number;
  required: boolean;
  /** Required by autotask-sync on create although Autotask's metadata does not say so. */
  requiredByProduct: boolean;
  readOnly: boolean;
  reference: string | null;
  picklist: { value: string; label: string; active: boolean; parentValue: string | null }[] | null;
  udf: boolean;
}

async function describeAction(
  ctx: CliContext,
  object: ExportableObject,
  flags: DescribeFlags,
): Promise<number> {
  const colours = createColours(!flags.json && colourEnabled(ctx.stdout, ctx.env));
  let secrets = envSecrets(ctx.env);
  try {
    const connection = connect(ctx, { config: flags.config, verbose: flags.verbose });
    secrets = connection.secrets;
    try {
      const entity = OBJECT_ENTITIES[object];
      const [fields, udfs] = await Promise.all([
        connection.client.metadata.fields(entity),
        object === 'Resource' ? Promise.resolve([]) : connection.client.metadata.udfs(entity),
      ]);
      const productRequired = new Set(
        object === 'Resource' ? [] : PRODUCT_REQUIRED_FIELDS[object].map((r) => r.field),
      );
      let described = [
        ...fields.map((f) => describeField(f, false, productRequired)),
        ...udfs.map((u) => describeField(u, true, productRequired)),
      ];
      if (flags.field !== undefined) {
        const wanted = flags.field.toLowerCase();
        described = described.filter((d) => d.name.toLowerCase() === wanted);
        if (described.length === 0) {
          ctx.stderr.write(
            `error: ${object} has no field "${flags.field}": run \`autotask-sync describe ${object}\` to list them\n`,
          );
          if (flags.json) writeJson(ctx.stdout, { ok: false, error: { code: 'UNKNOWN_FIELD' } }, secrets);
          return ExitCode.ConfigError;
        }
      }
      if (flags.json) writeJson(ctx.stdout, { object, entity, fields: described }, secrets);
      else ctx.stdout.write(renderDescribe(object, entity, described, colours, flags.field !== undefined));
      return ExitCode.Success;
    } finally {
      connection.close();
    }
  } catch (error) {
    return reportError(ctx, error, { json: flags.json, secrets, colours });
  }
}

function describeField(
  f: FieldInformation | UserDefinedFieldInformation,
  udf: boolean,
  productRequired: ReadonlySet<string>,
): DescribedField {
  const type = 'dataType' in f ? f.dataType : f.type;
  return {
    name: udf ? `udf:${f.name}` : f.name,
    type,
    length: f.length,
    required: f.isRequired,
    requiredByProduct: !udf && !f.isRequired && productRequired.has(f.name),
    readOnly: f.isReadOnly,
    reference: f.isReference && f.referenceEntityType !== '' ? f.referenceEntityType : null,
    picklist:
      f.isPickList && f.picklistValues
        ? [...f.picklistValues].sort(bySortOrder).map((v) => ({
            value: v.value,
            label: v.label,
            active: v.isActive,
            parentValue: v.parentValue === '' ? null : v.parentValue,
          }))
        : null,
    udf,
  };
}

function bySortOrder(a: PicklistValue, b: PicklistValue): number {
  return a.sortOrder - b.sortOrder || Number(a.value) - Number(b.value);
}

/** How many picklist labels the overview shows per field (`--field` shows all). */
const LABELS_SHOWN = 8;

function renderDescribe(
  object: string,
  entity: string,
  fields: readonly DescribedField[],
  colours: Colours,
  full: boolean,
): string {
  const rows = fields.map((f) => [
    f.udf ? colours.cyan(f.name) : f.name,
    f.type + (f.type === 'string' && f.length > 0 ? `(${f.length})` : ''),
    f.required ? colours.bold('required') : f.requiredByProduct ? 'required*' : '',
    f.readOnly ? colours.dim('read-only') : '',
    f.reference !== null ? `→ ${f.reference}` : f.picklist !== null ? `picklist (${f.picklist.length})` : '',
  ]);
  const out = [
    `${colours.bold(object)} (Autotask entity ${entity}): ${fields.length} field${fields.length === 1 ? '' : 's'}`,
    '',
    renderTable(['field', 'type', 'required', 'access', 'values'], rows),
  ];
  if (fields.some((f) => f.requiredByProduct))
    out.push('', '* required by autotask-sync when it creates records (map it or give a default).');
  const picklists = fields.filter((f) => f.picklist !== null && f.picklist.length > 0);
  if (picklists.length > 0) {
    out.push('', colours.bold('Picklists') + ' (value = label; write either in a mapping):');
    for (const f of picklists) {
      const values = f.picklist ?? [];
      const shown = full ? values : values.slice(0, LABELS_SHOWN);
      const labels = shown.map((v) => `${v.value} = ${v.label}${v.active ? '' : colours.dim(' (inactive)')}`);
      const more = values.length - shown.length;
      out.push(`  ${f.name}: ${labels.join(', ')}${more > 0 ? `, … ${more} more (--field ${f.name})` : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}
