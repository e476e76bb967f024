/**
 * The `intakes:` entries of the configuration (issue 10): HTTP endpoints served by
 * `autotask-sync serve`. Two kinds:
 *
 * - `form`: web-form submissions (JSON or form-encoded) mapped by the same field-mapping
 *   language as file syncs into company / contact / opportunity records, upserted with dedupe.
 * - `autotask-webhook`: Autotask's Companies / Contacts webhook callouts (API doc §10), verified by
 *   `X-Hook-Signature`; the record they name is written to a SQL table (the SQL side of a two-way sync).
 *
 * ```yaml
 * intakes:
 *   - name: website
 *     type: form
 *     auth: { type: hmac, secret: ${WEBSITE_FORM_SECRET} }
 *     records:
 *       - { name: website-companies, object: Company, fields: { companyName: company, companyType: { default: 1 }, ownerResourceID: { default: 29682885 } } }
 *       - { name: website-contacts, object: Contact, fields: { companyID: { column: company, ref: Company }, firstName: first, lastName: last, emailAddress: email } }
 *   - name: autotask-companies
 *     type: autotask-webhook
 *     secret: ${AUTOTASK_WEBHOOK_SECRET}
 *     object: Company
 *     table: { type: sqlite, path: crm.sqlite, table: companies, key: autotask_id }
 *     columns: { companyName: name, phone: phone }
 * ```
 *
 * Plain zod without transforms, so that it converts to JSON Schema as it is.
 */
import { z } from 'zod';

import { KeySpec } from '../sync/keys/index.js';
import { FieldMappingsSpec, RowFilterSpec } from '../sync/mapping/index.js';

const nameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
    message: 'use letters, digits, "-", "_" or "." (starting with a letter or digit), e.g. "website"',
  })
  .max(64);

const secretSchema = z.string().min(16, {
  message: 'use a secret of at least 16 characters (e.g. `openssl rand -hex 32`), from the environment',
});

export const hmacAuthSchema = z
  .strictObject({
    type: z.literal('hmac'),
    secret: secretSchema.meta({
      description:
        'Shared secret. The caller sends `X-Intake-Timestamp: <unix seconds>` and `X-Intake-Signature: ' +
        'sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. Write `${VAR}`, never the secret itself.',
    }),
    toleranceSeconds: z.int().min(5).max(3600).default(300).meta({
      description:
        'Refuse a request whose timestamp is further than this from now; a signature is accepted once within it.',
    }),
  })
  .meta({ title: 'HMAC signature (timestamped, replay-proof)' });

export const bearerAuthSchema = z
  .strictObject({
    type: z.literal('bearer'),
    secret: secretSchema.meta({
      description:
        'The caller sends `Authorization: Bearer <secret>`. Write `${VAR}`, never the secret itself.',
    }),
  })
  .meta({ title: 'Bearer secret' });

export const intakeAuthSchema = z
  .discriminatedUnion('type', [hmacAuthSchema, bearerAuthSchema])
  .meta({ description: 'How callers prove who they are. Required: an intake is never open.' });

export const rateLimitSchema = z
  .strictObject({
    perMinute: z.int().min(1).max(1_000_000).default(600).meta({
      description: 'Requests accepted per minute per client address (a burst of up to this many is allowed).',
    }),
  })
  .meta({ description: 'Requests beyond this get 429 with Retry-After.' });

export const retrySchema = z
  .strictObject({
    maxAttempts: z.int().min(1).max(100).default(8).meta({
      description: 'Attempts before an item goes to the dead-letter list.',
    }),
    baseDelaySeconds: z.number().positive().max(3600).default(5).meta({
      description: 'First wait after a failed attempt; doubles each attempt (with jitter).',
    }),
    maxDelaySeconds: z.number().positive().max(86_400).default(900).meta({
      description: 'Longest wait between attempts.',
    }),
  })
  .meta({ description: 'Retries while Autotask is throttled, down or over budget.' });

const common = {
  name: nameSchema.meta({ description: 'Unique name of this intake; its URL is `/intake/<name>`.' }),
  maxBodyBytes: z.int().min(256).max(10_485_760).default(65_536).meta({
    description: 'Largest request body accepted, in bytes; larger → 413.',
  }),
  rateLimit: rateLimitSchema.prefault({}),
  retry: retrySchema.prefault({}),
};

/** One Autotask record made from each submission (a sync whose source is the intake). */
export const intakeRecordSchema = z
  .strictObject({
    name: nameSchema.meta({
      description: 'Name of this record stream (used in the state store like a sync name; unique).',
    }),
    object: z.enum(['Company', 'Account', 'Contact', 'Opportunity']).meta({
      description: 'The Autotask object written: Company (alias Account), Contact or Opportunity.',
    }),
    mode: z.enum(['create', 'update', 'upsert']).default('upsert').meta({
      description: '`create`, `update` or `upsert` (default), as for syncs.',
    }),
    key: KeySpec.optional(),
    where: RowFilterSpec.optional(),
    fields: FieldMappingsSpec,
  })
  .meta({ description: 'One submission → one Autotask record (columns are the submission fields).' });

export const formIntakeSchema = z
  .strictObject({
    ...common,
    type: z.literal('form').meta({ description: 'A web-form intake.' }),
    auth: intakeAuthSchema,
    idempotencyWindowSeconds: z
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(86_400)
      .meta({
        description:
          'An identical body, or a repeated `Idempotency-Key`, within this window returns the first submission ' +
          'instead of queueing a second one.',
      }),
    records: z.array(intakeRecordSchema).min(1).meta({
      description:
        'Records made from each submission, in dependency order (companies → contacts → opportunities).',
    }),
  })
  .meta({ title: 'Web-form intake' });

const tableCommon = {
  table: z
    .string()
    .min(1)
    .meta({ description: 'The table (PostgreSQL accepts `schema.table`). It must exist.' }),
  key: z.string().min(1).meta({ description: 'The column holding the Autotask id (primary key or unique).' }),
  updatedAt: z.string().min(1).optional().meta({
    description: 'A column stamped with the time of each write, if the table has one.',
  }),
  deletedAt: z
    .string()
    .min(1)
    .optional()
    .meta({
      description:
        'A timestamp column set when a Delete callout arrives and re-reading confirms the record is gone from ' +
        'Autotask (the row is kept). Without it, Delete callouts are recorded and change nothing.',
    }),
};

export const webhookTableSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('sqlite'),
      path: z.string().min(1).meta({ description: "SQLite file, relative to the configuration's folder." }),
      ...tableCommon,
    }),
    z.strictObject({
      type: z.literal('postgres'),
      url: z.string().min(1).meta({ description: 'Connection URL, e.g. `${DATABASE_URL}`.' }),
      ...tableCommon,
    }),
  ])
  .meta({ description: 'The SQL table the changed Autotask records are written to.' });

export const webhookIntakeSchema = z
  .strictObject({
    ...common,
    type: z.literal('autotask-webhook'),
    secret: secretSchema.meta({
      description:
        "The webhook's secret key (Autotask's `secretKey`, 64 characters at most). Write `${VAR}`.",
    }),
    object: z.enum(['Company', 'Account', 'Contact']).meta({
      description: 'Companies and Contacts are the objects Autotask calls out for (API doc §10).',
    }),
    twoWay: z
      .string()
      .min(1)
      .optional()
      .meta({
        description:
          'Name of a `twoWay:` sync of the same object: each batch of callouts runs its incremental pass, so the ' +
          "changed records reach its table with that sync's rules. Give `twoWay`, or `table` and `columns`.",
      }),
    table: webhookTableSchema.optional(),
    columns: z.record(z.string().min(1), z.string().min(1)).optional().meta({
      description: 'Autotask field (or udf:Name) → table column (with `table`).',
    }),
    reconcileMinutes: z
      .number()
      .min(0)
      .max(1440)
      .default(15)
      .meta({
        description:
          'Every this many minutes, read the records changed in Autotask since the last pass (catches missed ' +
          'callouts: webhooks are hints). 0 turns it off.',
      }),
  })
  .superRefine((spec, ctx) => {
    if (spec.twoWay !== undefined && (spec.table !== undefined || spec.columns !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['twoWay'],
        message: 'give `twoWay`, or `table` and `columns`, not both',
      });
    if (spec.twoWay === undefined && (spec.table === undefined || spec.columns === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [spec.table === undefined ? 'table' : 'columns'],
        message: 'give `table` and `columns` (or `twoWay: <name of a twoWay sync>`)',
      });
  })
  .meta({ title: 'Autotask webhook receiver' });

export const intakeSpecSchema = z
  .discriminatedUnion('type', [formIntakeSchema, webhookIntakeSchema])
  .meta({ description: 'An HTTP intake served by `autotask-sync serve`.' });

export const intakesSchema = z
  .array(intakeSpecSchema)
  .default([])
  .meta({ description: 'HTTP intakes (web forms, Autotask webhooks) served by `autotask-sync serve`.' });

export type FormIntakeSpec = z.output<typeof formIntakeSchema>;
export type WebhookIntakeSpec = z.output<typeof webhookIntakeSchema>;
export type IntakeSpec = z.output<typeof intakeSpecSchema>;
export type IntakeRecordSpec = z.output<typeof intakeRecordSchema>;
export type IntakeAuthSpec = z.output<typeof intakeAuthSchema>;

/** A webhook intake that writes its own table (rather than running a two-way sync). */
export type TableWebhookSpec = WebhookIntakeSpec & {
  table: NonNullable<WebhookIntakeSpec['table']>;
  columns: Record<string, string>;
};

export function hasTable(spec: WebhookIntakeSpec): spec is TableWebhookSpec {
  return spec.table !== undefined && spec.columns !== undefined;
}
