/**
 * The `deletions:` setting of an export (configuration schema, zod 4). Autotask has no feed of
 * deleted records, so an incremental export learns of them by an id-only scan (`IncludeFields: ["id"]`,
 * 500 ids a call): every `every` exports, or when `export --prune` asks.
 */
import { z } from 'zod';

/** What happens to a mirror row whose record is gone from Autotask. */
export const DELETION_ACTIONS = ['delete', 'flag'] as const;
export type DeletionAction = (typeof DELETION_ACTIONS)[number];

export const exportDeletionsSchema = z
  .strictObject({
    every: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(10)
      .meta({
        description:
          'Scan for deleted records on every Nth incremental export (1 = every export; 0 = only with ' +
          '`export --prune`). A scan costs one call per 500 records; a full export finds deletions at no extra cost.',
      }),
    action: z.enum(DELETION_ACTIONS).default('delete').meta({
      description:
        '`delete`: remove the row (the mirror then holds what a full export would); `flag`: keep the row and set its `column` to the time the deletion was noticed (SQL destinations; files are rewritten without the record either way).',
    }),
    column: z.string().min(1).max(63).default('deleted_at').meta({
      description:
        'With `action: flag`: the timestamp column set when a record is gone from Autotask, and cleared if it comes back.',
    }),
    maxShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .meta({
        description:
          'Safety rail: when a scan would remove (or flag) more than this share of the rows (and at least 10 rows), ' +
          'nothing is removed and the export reports it; check the API user can still see the records, then raise it.',
      }),
  })
  .meta({
    description:
      'Find records deleted in Autotask (it has no feed of deletions) and remove or flag them in the destination.',
  });

export type ExportDeletionsSpec = z.output<typeof exportDeletionsSchema>;
