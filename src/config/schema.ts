/**
 * The configuration file's schema (zod 4). It is the single source of the TypeScript types, of the
 * validation messages, of `schema/config.schema.json` (editors) and of `docs/configuration.md`.
 * Descriptions and defaults are written here, once, with `.meta()`.
 *
 * The schema is kept free of transforms so that it converts to JSON Schema as it is; aliases
 * (`Account`), relative paths and `${VAR}` interpolation are handled by `load-config.ts`.
 */
import { z } from 'zod';

import { FieldMappingsSpec, RowFilterSpec } from '../sync/mapping/index.js';
import { KeySpec } from '../sync/keys/index.js';
import { intakesSchema } from '../intake/intake-config-schema.js';
import { twoWaySpecSchema } from '../sync/two-way/two-way-spec.js';
import { exportDeletionsSchema } from '../sync/export/deletions-spec.js';
import { EXPORT_OBJECT_NAMES, RESOURCE_READ_ONLY_MESSAGE, SYNC_OBJECT_NAMES } from './objects.js';

/** Names of syncs and exports: used on the command line (`--only`) and in the state store. */
const nameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
    message: 'use letters, digits, "-", "_" or "." (starting with a letter or digit), e.g. "companies"',
  })
  .max(64);

const pathSchema = z.string().min(1);

const columnListSchema = z.array(z.string().min(1)).min(1);

// ---------------------------------------------------------------------------------------------------
// autotask

export const budgetSchema = z
  .strictObject({
    share: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .meta({
        description:
          "Never let the tenant's usage in the rolling hour pass this share of its limit (Autotask counts " +
          'every integration of the tenant; it slows responses above about half and suspends the API at the limit).',
      }),
  })
  .meta({ description: "How much of the tenant's hourly API budget this tool may use." });

export const requestSettingsSchema = z
  .strictObject({
    timeoutSeconds: z.number().positive().max(600).default(120).meta({
      description: 'Give up waiting for one Autotask response after this many seconds.',
    }),
    maxRetries: z.int().min(0).max(10).default(4).meta({
      description:
        'Retries of a request Autotask refused for a passing reason (throttled, 5xx before the body was processed).',
    }),
  })
  .meta({ description: 'How requests to Autotask are sent.' });

export const autotaskSettingsSchema = z
  .strictObject({
    token: z
      .string()
      .min(1)
      .optional()
      .meta({
        description:
          'Base64 of `username:secret`. Default: the AUTOTASK_TOKEN environment variable, else AUTOTASK_USERNAME ' +
          '+ AUTOTASK_SECRET. Keep it out of the file: write `${AUTOTASK_TOKEN}` or set it in `.env`.',
      }),
    username: z.string().min(1).optional().meta({
      description: "The API user's user name. Default: AUTOTASK_USERNAME.",
    }),
    secret: z.string().min(1).optional().meta({
      description: "The API user's secret. Default: AUTOTASK_SECRET. Keep it out of the file.",
    }),
    integrationCode: z.string().min(1).optional().meta({
      description:
        'The API tracking identifier (integration code). Default: AUTOTASK_INTEGRATION_CODE. Keep it out of the file.',
    }),
    url: z
      .string()
      .min(1)
      .optional()
      .meta({
        description:
          'A REST zone URL (https://webservices5.autotask.net/ATServicesRest/), a legacy SOAP .wsdl/.asmx URL on ' +
          'the same host, or nothing: the zone is then discovered from the user name. Default: AUTOTASK_URL.',
      }),
    impersonationResourceId: z
      .union([z.int().positive(), z.string().regex(/^\d+$/)])
      .optional()
      .meta({
        description:
          'Write as this resource (ImpersonationResourceId header). Default: AUTOTASK_IMPERSONATION_RESOURCE_ID.',
      }),
    budget: budgetSchema.prefault({}),
    requests: requestSettingsSchema.prefault({}),
  })
  .meta({
    description:
      'The Autotask connection. Credentials come from the environment (or a `.env` file beside the configuration ' +
      'or in the working folder) unless given here; `${VAR}` references are expanded.',
  });

// ---------------------------------------------------------------------------------------------------
// sources

const tableOrQuery = {
  table: z.string().min(1).optional().meta({
    description:
      'The table (or view) to read; PostgreSQL accepts `schema.table`. Give `table` or `query`, not both.',
  }),
  query: z.string().min(1).optional().meta({
    description: 'A read-only SELECT whose rows are the records. Give `table` or `query`, not both.',
  }),
  key: columnListSchema.optional().meta({
    description:
      "Columns that identify a row, shown in error locations. Default: the table's primary key (none for a query).",
  }),
};

function exactlyOneOfTableOrQuery(
  value: { table?: string | undefined; query?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if ((value.table === undefined) === (value.query === undefined))
    ctx.addIssue({
      code: 'custom',
      path: value.table === undefined ? ['table'] : ['query'],
      message:
        value.table === undefined
          ? 'give either `table: <name>` or `query: SELECT ...`'
          : 'give either `table` or `query`, not both',
    });
}

export const csvSourceSchema = z
  .strictObject({
    type: z.literal('csv'),
    path: pathSchema.meta({ description: "The CSV file, relative to the configuration file's folder." }),
    delimiter: z
      .union([z.literal('auto'), z.string().length(1)])
      .default('auto')
      .meta({
        description: 'Field separator: one character, or `auto` to detect `,` `;` or tab from the header.',
      }),
    encoding: z
      .enum(['auto', 'utf-8', 'latin1'])
      .default('auto')
      .meta({
        description:
          '`utf-8`, `latin1` (ISO-8859-1 / Windows-1252 exports), or `auto`: UTF-8 unless the bytes are not valid ' +
          'UTF-8, then Latin-1 with a warning.',
      }),
    quote: z.string().length(1).default('"').meta({ description: 'The quote character (RFC 4180: `"`).' }),
  })
  .superRefine((csv, ctx) => {
    if (csv.delimiter === csv.quote)
      ctx.addIssue({
        code: 'custom',
        path: ['quote'],
        message: 'the quote character must differ from the delimiter',
      });
  })
  .meta({
    title: 'CSV file',
    description: 'A CSV file with a header row (RFC 4180). Values are read as text.',
  });

export const jsonlSourceSchema = z
  .strictObject({
    type: z.literal('jsonl'),
    path: pathSchema.meta({
      description: "The JSON Lines file, relative to the configuration file's folder.",
    }),
    flatten: z.boolean().default(true).meta({
      description:
        'Flatten nested objects into dotted columns (`{"address":{"city":"X"}}` → `address.city`); arrays stay values.',
    }),
  })
  .meta({ title: 'JSON Lines file', description: 'One JSON object per line.' });

export const sqliteSourceSchema = z
  .strictObject({
    type: z.literal('sqlite'),
    path: pathSchema.meta({
      description: "The SQLite database file, relative to the configuration file's folder. Opened read-only.",
    }),
    ...tableOrQuery,
  })
  .superRefine(exactlyOneOfTableOrQuery)
  .meta({ title: 'SQLite table or query', description: 'Rows of a SQLite table or query, streamed.' });

export const postgresSourceSchema = z
  .strictObject({
    type: z.literal('postgres'),
    url: z.string().min(1).meta({
      description:
        'Connection URL, e.g. `${DATABASE_URL}` or postgres://user@host:5432/db (keep the password in the environment).',
    }),
    ...tableOrQuery,
    batchSize: z.int().min(1).max(100_000).default(1000).meta({
      description: 'Rows fetched per round trip through the cursor.',
    }),
  })
  .superRefine(exactlyOneOfTableOrQuery)
  .meta({
    title: 'PostgreSQL table or query',
    description: 'Rows of a PostgreSQL table or query, streamed through a cursor in a read-only transaction.',
  });

export const sourceSpecSchema = z
  .discriminatedUnion('type', [csvSourceSchema, jsonlSourceSchema, sqliteSourceSchema, postgresSourceSchema])
  .meta({ description: 'Where the records come from.' });

// ---------------------------------------------------------------------------------------------------
// destinations (exports)

export const csvDestinationSchema = z
  .strictObject({
    type: z.literal('csv'),
    path: pathSchema.meta({
      description: "The CSV file to write, relative to the configuration file's folder.",
    }),
    delimiter: z.string().length(1).default(',').meta({ description: 'Field separator.' }),
  })
  .meta({ title: 'CSV file' });

export const jsonlDestinationSchema = z
  .strictObject({
    type: z.literal('jsonl'),
    path: pathSchema.meta({ description: 'The JSON Lines file to write.' }),
  })
  .meta({ title: 'JSON Lines file' });

export const sqliteDestinationSchema = z
  .strictObject({
    type: z.literal('sqlite'),
    path: pathSchema.meta({ description: 'The SQLite database file (created when missing).' }),
    table: z.string().min(1).meta({ description: 'The table to write (created when missing).' }),
  })
  .meta({ title: 'SQLite table' });

export const postgresDestinationSchema = z
  .strictObject({
    type: z.literal('postgres'),
    url: z.string().min(1).meta({ description: 'Connection URL, e.g. `${DATABASE_URL}`.' }),
    table: z
      .string()
      .min(1)
      .meta({ description: 'The table to write, optionally `schema.table` (created when missing).' }),
  })
  .meta({ title: 'PostgreSQL table' });

export const destinationSpecSchema = z
  .discriminatedUnion('type', [
    csvDestinationSchema,
    jsonlDestinationSchema,
    sqliteDestinationSchema,
    postgresDestinationSchema,
  ])
  .meta({ description: 'Where exported records are written.' });

// ---------------------------------------------------------------------------------------------------
// syncs and exports

export const WRITE_MODES = ['create', 'update', 'upsert'] as const;
export type WriteMode = (typeof WRITE_MODES)[number];

export const syncSpecSchema = z
  .strictObject({
    name: nameSchema.meta({
      description: 'Unique name of this sync (used by `--only` and in the state store).',
    }),
    object: z
      .enum(SYNC_OBJECT_NAMES, {
        error: (issue) =>
          issue.input === 'Resource' || issue.input === 'Owner' ? RESOURCE_READ_ONLY_MESSAGE : undefined,
      })
      .meta({ description: 'The Autotask object written: Company (alias Account), Contact or Opportunity.' }),
    source: sourceSpecSchema,
    mode: z.enum(WRITE_MODES).default('upsert').meta({
      description:
        '`create`: only create records not yet in Autotask; `update`: only update records already there; `upsert`: both.',
    }),
    key: KeySpec.optional(),
    where: RowFilterSpec.optional(),
    fields: FieldMappingsSpec,
  })
  .meta({ description: 'One source → one Autotask object.' });

export const exportSpecSchema = z
  .strictObject({
    name: nameSchema.meta({ description: 'Unique name of this export.' }),
    object: z.enum(EXPORT_OBJECT_NAMES).meta({
      description:
        'The Autotask object read: Company (alias Account), Contact, Opportunity or Resource (alias Owner).',
    }),
    destination: destinationSpecSchema,
    incremental: z.boolean().default(false).meta({
      description:
        'Only records changed since the last export of this name (Resources are always read whole).',
    }),
    deletions: exportDeletionsSchema.optional(),
  })
  .meta({ description: 'One Autotask object → one destination.' });

// ---------------------------------------------------------------------------------------------------
// engine

export const engineSettingsSchema = z
  .strictObject({
    intentSettleSeconds: z
      .number()
      .min(0)
      .max(86_400)
      .default(300)
      .meta({
        description:
          'How long after a create whose outcome is unknown (timeout, 5xx or dropped connection after sending), ' +
          'or that was in flight when the process was killed, Autotask may still be processing it. Until then a record not found by key is held back (reported ' +
          '`failed`, reconciled by key on later runs) instead of being created again; afterwards a record still ' +
          "missing is created again, once. The default is Autotask's execution timeout for a request.",
      }),
  })
  .meta({ description: 'How runs behave (settings of the sync engine).' });

// ---------------------------------------------------------------------------------------------------
// root

export const configSchema = z
  .strictObject({
    version: z.literal(1).meta({ description: 'Version of this file format. Always 1.' }),
    autotask: autotaskSettingsSchema.prefault({}),
    state: pathSchema.default('.autotask-sync/state.sqlite').meta({
      description:
        "The SQLite file holding links, ledger and cursors, relative to the configuration file's folder.",
    }),
    syncs: z
      .array(syncSpecSchema)
      .default([])
      .meta({ description: 'Syncs into Autotask, run in dependency order.' }),
    exports: z.array(exportSpecSchema).default([]).meta({ description: 'Exports out of Autotask.' }),
    intakes: intakesSchema,
    twoWay: z.array(twoWaySpecSchema).default([]).meta({
      description: 'SQL tables kept in step with Autotask in both directions (run after `syncs`).',
    }),
    engine: engineSettingsSchema.prefault({}),
  })
  .meta({
    title: 'autotask-sync configuration',
    description: 'Keeps Autotask PSA in step with CSV/JSON Lines files and SQLite/PostgreSQL databases.',
  });
