/**
 * The `twoWay:` entries of the configuration (issue 6): one SQL table ↔ one Autotask object, each
 * field with an ordered list of systems (the first is its system of record), read-only systems and a
 * conflict rule. Plain zod without transforms, so that it converts to JSON Schema as it is.
 *
 * ```yaml
 * twoWay:
 *   - name: companies-db
 *     object: Company
 *     table: { type: postgres, url: "${DATABASE_URL}", table: crm.companies, key: id, updatedAt: updated_at }
 *     systems: [sql, autotask]          # default order of every field: the database is the system of record
 *     rule: system-of-record
 *     autotaskDefaults: { companyType: 1, ownerResourceID: 29682885 }
 *     fields:
 *       companyName: name
 *       phone: { column: phone, rule: most-recent }
 *       webAddress: { column: website, systems: [autotask, sql] }
 *       isActive: { column: active, readOnly: [sql] }
 * ```
 */
import { z } from 'zod';

/** The two systems a two-way sync keeps in step. */
export const TWO_WAY_SYSTEMS = ['autotask', 'sql'] as const;
export type TwoWaySystem = (typeof TWO_WAY_SYSTEMS)[number];

export const TWO_WAY_RULES = ['system-of-record', 'most-recent'] as const;
export type TwoWayRule = (typeof TWO_WAY_RULES)[number];

/** Objects a two-way sync may keep in step (Resources are read-only in Autotask's API). */
export const TWO_WAY_OBJECT_NAMES = ['Company', 'Account', 'Contact', 'Opportunity'] as const;

const systemSchema = z.enum(TWO_WAY_SYSTEMS);
const ruleSchema = z.enum(TWO_WAY_RULES);

const systemsSchema = z
  .array(systemSchema)
  .min(1)
  .max(2)
  .refine((list) => new Set(list).size === list.length, { message: 'name each system once' });

const tableCommon = {
  table: z
    .string()
    .min(1)
    .meta({ description: 'The table; PostgreSQL accepts `schema.table`. It must exist.' }),
  key: z.string().min(1).meta({
    description:
      'The column that identifies a row (primary key or unique). Rows inserted by the sync get their key from the database (`RETURNING`).',
  }),
  updatedAt: z
    .string()
    .min(1)
    .optional()
    .meta({
      description:
        'The column holding when the row last changed (timestamp, ISO text, or epoch seconds/ms). Changes are read ' +
        'incrementally by it and the sync stamps it on rows it writes. Without it, the whole table is read each time ' +
        'and rows are compared with the hashes the sync keeps.',
    }),
};

export const twoWaySqliteTableSchema = z
  .strictObject({
    type: z.literal('sqlite'),
    path: z.string().min(1).meta({
      description:
        "The SQLite database file, relative to the configuration file's folder. Opened read-write.",
    }),
    ...tableCommon,
  })
  .meta({ title: 'SQLite table (read and written)' });

export const twoWayPostgresTableSchema = z
  .strictObject({
    type: z.literal('postgres'),
    url: z.string().min(1).meta({
      description: 'Connection URL, e.g. `${DATABASE_URL}` (keep the password in the environment).',
    }),
    ...tableCommon,
  })
  .meta({ title: 'PostgreSQL table (read and written)' });

export const twoWayTableSchema = z
  .discriminatedUnion('type', [twoWaySqliteTableSchema, twoWayPostgresTableSchema])
  .meta({ description: 'The SQL table kept in step with Autotask.' });

export const twoWayFieldSchema = z
  .union([
    z.string().min(1).meta({ description: 'Shorthand: the column, with the sync-level systems and rule.' }),
    z.strictObject({
      column: z.string().min(1).meta({ description: 'The column of the table.' }),
      systems: systemsSchema.optional().meta({
        description:
          'Systems whose changes count, in order: the first is the system of record. A system left out never ' +
          'supplies the value (its changes are overwritten). Default: the sync-level `systems`.',
      }),
      readOnly: z.array(systemSchema).optional().meta({
        description: 'Systems this field is never written to (their value is only read). @default []',
      }),
      rule: ruleSchema.optional().meta({
        description: 'How a conflict is settled for this field. Default: the sync-level `rule`.',
      }),
      ref: z
        .string()
        .min(1)
        .optional()
        .meta({
          description:
            "The column holds keys of another two-way sync's table (named here); the Autotask field holds that " +
            "record's id (e.g. a contact's `companyID` ↔ `company_id`). The other sync must come first.",
        }),
      labels: z
        .boolean()
        .optional()
        .meta({
          description:
            'The column holds picklist labels (`Customer`) rather than values (`1`): labels are turned into values ' +
            'for Autotask and back for the table. Only for picklist fields. @default false',
        }),
    }),
  ])
  .meta({ description: 'Autotask field ↔ column.' });

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const twoWaySpecSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
        message:
          'use letters, digits, "-", "_" or "." (starting with a letter or digit), e.g. "companies-db"',
      })
      .max(64)
      .meta({ description: 'Unique name of this two-way sync (used by `--only` and in the state store).' }),
    object: z
      .enum(TWO_WAY_OBJECT_NAMES)
      .meta({ description: 'The Autotask object: Company (alias Account), Contact or Opportunity.' }),
    table: twoWayTableSchema,
    systems: systemsSchema.default(['autotask', 'sql']).meta({
      description:
        'Default order of systems for every field: the first is the system of record. `[sql, autotask]` makes the table the system of record.',
    }),
    rule: ruleSchema.default('system-of-record').meta({
      description:
        '`system-of-record`: the first system always wins; the other may fill the field only while it is empty there, ' +
        'and its other changes are reverted. `most-recent`: the side changed last (by its modification time) wins.',
    }),
    create: z
      .strictObject({
        autotask: z.boolean().default(true).meta({ description: 'Create Autotask records for new rows.' }),
        sql: z.boolean().default(true).meta({ description: 'Insert rows for new Autotask records.' }),
      })
      .prefault({})
      .meta({ description: 'Whether a record new on one side is created on the other.' }),
    autotaskDefaults: z.record(z.string(), scalar).default({}).meta({
      description:
        'Autotask field → value sent when creating a record and the row has none (e.g. `companyType`, `ownerResourceID`).',
    }),
    sqlDefaults: z.record(z.string(), scalar).default({}).meta({
      description: 'Column → value inserted with new rows when no mapped field fills it.',
    }),
    deletes: z
      .strictObject({
        policy: z
          .enum(['report', 'deactivate'])
          .default('report')
          .meta({
            description:
              '`report`: a record gone from one side is reported, never deleted on the other. `deactivate`: a row gone ' +
              'from the table makes the Autotask record inactive; a record gone from Autotask sets `activeColumn` false.',
          }),
        maxShare: z.number().gt(0).max(1).default(0.1).meta({
          description:
            'Abort the run, changing nothing, when more than this share of the linked records would be deactivated at once.',
        }),
        activeColumn: z.string().min(1).optional().meta({
          description: 'The column set to false when the Autotask record is gone (policy `deactivate`).',
        }),
      })
      .prefault({})
      .meta({ description: 'What happens when a record disappears from one side.' }),
    overlapSeconds: z.int().min(0).max(86_400).default(300).meta({
      description:
        "How far before each side's cursor to read again, so that changes committed late or stamped by another clock are not missed.",
    }),
    fullReadHours: z
      .number()
      .min(0)
      .max(8760)
      .default(24)
      .meta({
        description:
          'Read both sides whole this often (hours) instead of incrementally: it notices records deleted in Autotask ' +
          '(which incremental reads cannot see) and costs one query per 500 records. 0: only the first run and `--full`.',
      }),
    fields: z
      .record(z.string(), twoWayFieldSchema)
      .refine((fields) => Object.keys(fields).length > 0, { message: 'map at least one field' })
      .meta({
        description:
          'Autotask field → column (or `{ column, systems, readOnly, rule, ref, labels }`). A user-defined field is ' +
          '`udf:Name` (e.g. `"udf:CRM ID": crm_id`), read from and written to the record\'s `userDefinedFields`.',
      }),
  })
  .meta({ description: 'One SQL table ↔ one Autotask object, changes flowing both ways.' });

export type TwoWaySpecInput = z.input<typeof twoWaySpecSchema>;
export type TwoWayTableSpec = z.output<typeof twoWayTableSchema>;
export type TwoWayFieldInput = z.output<typeof twoWayFieldSchema>;
/** A loaded two-way sync: object canonical (`Account` → `Company`), SQLite path absolute. */
export type TwoWaySpec = Omit<z.output<typeof twoWaySpecSchema>, 'object'> & {
  object: 'Company' | 'Contact' | 'Opportunity';
};
