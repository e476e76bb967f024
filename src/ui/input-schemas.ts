/**
 * Shapes of the JSON the API accepts. Anything else is refused with `UI_INVALID_INPUT` before a
 * handler runs. Deeper checks of a sync (object names, field mappings) are the configuration
 * loader's, so the page gets exactly the messages the CLI gives.
 */
import { z } from 'zod';

import { WRITABLE_OBJECTS } from '../config/objects.js';
import { sourceSpecSchema } from '../config/schema.js';

/** Connection settings entered on the page; `null` removes a stored value, absent keeps it. */
export const connectionInput = z.strictObject({
  token: z.string().max(2_000).nullable().optional(),
  username: z.string().max(320).nullable().optional(),
  secret: z.string().max(1_000).nullable().optional(),
  integrationCode: z.string().max(1_000).nullable().optional(),
  url: z
    .string()
    .max(2_000)
    .refine(
      (u) => u === '' || /^https?:\/\//i.test(u),
      'the URL must start with https:// (or http:// for a local emulator)',
    )
    .nullable()
    .optional(),
});
export type ConnectionInput = z.infer<typeof connectionInput>;

/** A sync being edited: a mapping of settings the configuration loader checks in full. */
export const syncDraftInput = z.strictObject({
  /** Position in `syncs:`; null for a sync not saved yet. */
  index: z.number().int().min(0).max(999).nullable(),
  sync: z
    .record(z.string(), z.unknown())
    .refine((s) => typeof s['name'] === 'string', 'the sync needs a name'),
});

/** A source to describe (its columns), optionally with the object to propose mappings for. */
export const sourceColumnsInput = z.strictObject({
  source: sourceSpecSchema,
  object: z.enum(WRITABLE_OBJECTS).optional(),
});

/** Which syncs a plan or run covers. */
export const runInput = z.strictObject({
  only: z.array(z.string().min(1).max(200)).max(100).optional(),
});

/** Query of the per-record ledger. */
export const ledgerQueryInput = z.strictObject({
  key: z.string().max(500).optional(),
  sync: z.string().max(200).optional(),
  action: z.enum(['created', 'updated', 'unchanged', 'conflict', 'invalid', 'failed', 'skipped']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

/** A file name for an upload: plain, no folders. */
export const uploadName = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^[\w][\w .()-]*\.(csv|tsv|txt|jsonl|ndjson|json)$/i,
    'give a plain file name ending in .csv, .tsv, .txt, .jsonl or .ndjson',
  );
