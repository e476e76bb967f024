/**
 * `key:` of a sync — the Autotask fields (or `udf:Name`) whose normalised values identify a record on
 * both sides. Optional; the default per object is in key-definitions.ts (product.md §3).
 */
import { z } from 'zod';

export const KeySpec = z
  .array(z.string().min(1))
  .min(1)
  .meta({
    description:
      'Autotask fields (or udf:Name) that identify a record, e.g. [companyName] or [emailAddress]. ' +
      'Default: Company = normalised name; Contact = email; Opportunity = title + close date + company/contact.',
  });
export type KeySpec = z.infer<typeof KeySpec>;
