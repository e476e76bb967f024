/**
 * The naive export baseline: page through every record of each object (all fields, 500 per page, as
 * the API allows) and write them to CSV. There is no cheaper way to read everything, so this mostly
 * shows that our export does not spend more than a plain paged read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { stringify } from 'csv-stringify/sync';

import { where, type AutotaskClient } from '../../src/autotask/index.js';

const ENTITIES = ['Companies', 'Contacts', 'Opportunities'] as const;

/** Writes `<dir>/naive-out/<Entity>.csv`; returns the records read. */
export async function naiveExport(client: AutotaskClient, dir: string): Promise<{ records: number }> {
  const outDir = join(dir, 'naive-out');
  mkdirSync(outDir, { recursive: true });
  let records = 0;
  for (const entity of ENTITIES) {
    const rows: unknown[][] = [];
    let columns: string[] | undefined;
    for await (const page of client.entity(entity).queryPages(where.all())) {
      for (const item of page.items) {
        columns ??= Object.keys(item).filter((k) => k !== 'userDefinedFields');
        rows.push(columns.map((c) => item[c] ?? ''));
        records++;
      }
    }
    writeFileSync(join(outDir, `${entity}.csv`), stringify([columns ?? [], ...rows]));
  }
  return { records };
}
