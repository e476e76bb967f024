/**
 * The naive baseline: what workflow tools (Zapier, Make, Power Automate, n8n) do with a spreadsheet of
 * records. For every row: look the record up by its key (one query), then create it or update it
 * (one write), sending every mapped field whether it changed or not. It runs on the benchmark's CSVs
 * with the same field values as the engine's configuration, through the same client, with the same
 * three requests in flight per endpoint.
 *
 * It is a generous baseline: references (a contact's company, an opportunity's contact) come from an
 * in-memory map of what it already loaded instead of a "find company" step per row, and picklists
 * and owners are resolved once, so it spends exactly one lookup and one write per record.
 */
import { join } from 'node:path';

import PQueue from 'p-queue';

import { where, type AutotaskClient } from '../../src/autotask/index.js';
import type { EntityName } from '../../src/autotask/types.js';
import { createSource } from '../../src/connectors/sources/create-source.js';

export interface NaiveLoadResult {
  records: number;
  created: number;
  updated: number;
  failed: number;
  /** First failure messages (bounded), for diagnosis. */
  failures: string[];
}

/** Requests in flight per endpoint (Autotask's thread limit). @default 3 */
const DEFAULT_CONCURRENCY = 3;

type Row = Readonly<Record<string, unknown>>;

function text(row: Row, column: string): string {
  const value = row[column];
  return typeof value === 'string' ? value : '';
}

function isoDate(day: string): string {
  return `${day}T00:00:00Z`;
}

/** Loads `companies.csv`, `contacts.csv` and `opportunities.csv` of `dir` the naive way. */
export async function naiveLoad(
  client: AutotaskClient,
  dir: string,
  options: { concurrency?: number } = {},
): Promise<NaiveLoadResult> {
  const result: NaiveLoadResult = { records: 0, created: 0, updated: 0, failed: 0, failures: [] };
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;

  const owners = new Map<string, number>();
  for await (const r of client.resources.query({ filter: where.all(), includeFields: ['email'] }))
    if (typeof r['email'] === 'string') owners.set(r['email'].toLowerCase(), r.id);
  const companyType = await client.metadata.picklist('Companies', 'companyType');
  const status = await client.metadata.picklist('Opportunities', 'status');
  const stage = await client.metadata.picklist('Opportunities', 'stage');
  const companyIds = new Map<string, number>();
  const contactIds = new Map<string, number>();

  async function upsert(
    entity: EntityName & ('Companies' | 'Contacts' | 'Opportunities'),
    lookup: Parameters<AutotaskClient['companies']['queryPage']>[0],
    payload: Record<string, unknown>,
  ): Promise<number> {
    const api = client.entity(entity);
    const page = await api.queryPage(lookup);
    const existing = page.items[0];
    if (existing !== undefined) {
      await api.update({ ...payload, id: existing.id });
      result.updated++;
      return existing.id;
    }
    const id = await api.create(payload);
    result.created++;
    return id;
  }

  async function each(file: string, handle: (row: Row) => Promise<void>): Promise<void> {
    const queue = new PQueue({ concurrency });
    const source = createSource({ type: 'csv', path: join(dir, file) });
    for await (const record of source.read()) {
      result.records++;
      await queue.onSizeLessThan(concurrency * 4);
      void queue.add(async () => {
        try {
          await handle(record.values);
        } catch (error) {
          result.failed++;
          if (result.failures.length < 5) result.failures.push(`${file}: ${(error as Error).message}`);
        }
      });
    }
    await queue.onIdle();
  }

  await each('companies.csv', async (row) => {
    const name = text(row, 'Name');
    const id = await upsert(
      'Companies',
      { filter: where.eq('companyName', name), maxRecords: 1 },
      {
        companyName: name,
        phone: text(row, 'Phone'),
        companyType: Number(companyType?.valueOf(text(row, 'Type') || 'Prospect')),
        city: text(row, 'City').trim(),
        ownerResourceID: owners.get(text(row, 'Owner').toLowerCase()),
      },
    );
    companyIds.set(name.toLowerCase(), id);
  });
  await each('contacts.csv', async (row) => {
    const email = text(row, 'Email');
    const id = await upsert(
      'Contacts',
      { filter: where.eq('emailAddress', email), maxRecords: 1 },
      {
        companyID: companyIds.get(text(row, 'Company').toLowerCase()),
        firstName: text(row, 'First'),
        lastName: text(row, 'Last'),
        emailAddress: email,
        phone: text(row, 'Phone'),
        title: text(row, 'Title'),
        isActive: 1,
      },
    );
    contactIds.set(email.toLowerCase(), id);
  });
  await each('opportunities.csv', async (row) => {
    const title = text(row, 'Title');
    const companyID = companyIds.get(text(row, 'Company').toLowerCase()) ?? 0;
    await upsert(
      'Opportunities',
      { filter: [where.eq('title', title), where.eq('companyID', companyID)], maxRecords: 1 },
      {
        title,
        companyID,
        contactID: contactIds.get(text(row, 'Contact').toLowerCase()),
        startDate: isoDate(text(row, 'Start')),
        projectedCloseDate: isoDate(text(row, 'Close')),
        amount: Number(text(row, 'Amount')),
        ownerResourceID: owners.get(text(row, 'Owner').toLowerCase()),
        status: Number(status?.valueOf('Active')),
        stage: Number(stage?.valueOf('Qualified')),
        probability: 50,
        cost: 0,
        useQuoteTotals: true,
      },
    );
  });
  return result;
}
