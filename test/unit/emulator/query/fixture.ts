/** A small Companies/Contacts tenant with hand-picked values for the query-engine tests. */
import type { EntityName } from '../../../../src/autotask/types.js';
import type {
  EntityTable,
  QueryRequest,
  QueryResult,
  StoredRecord,
} from '../../../../src/emulator/contracts.js';
import { createEntitySchemas, defaultUdfDefinitions } from '../../../../src/emulator/metadata/index.js';
import { countQuery, executeQuery } from '../../../../src/emulator/query/index.js';
import { InMemoryEntityTable, createEntityTable } from '../../../../src/emulator/store/index.js';

export const udfDefinitions = defaultUdfDefinitions();
export const schemas = createEntitySchemas(udfDefinitions);

export function rec(
  id: number,
  values: Record<string, unknown>,
  udfs: Record<string, string> = {},
): StoredRecord {
  return { id, values, udfs };
}

export const COMPANIES: readonly StoredRecord[] = [
  rec(
    1,
    {
      companyName: 'Acme Inc.',
      companyType: 1,
      isActive: true,
      createDate: '2024-01-01T00:00:00Z',
      city: 'Springfield',
    },
    { 'CRM ID': 'A-1', Discount: '5.0000' },
  ),
  rec(
    2,
    { companyName: 'acme inc.  ', companyType: 3, isActive: false, createDate: '2024-06-01T12:30:00.5Z' },
    { Discount: '12.5000' },
  ),
  rec(3, {
    companyName: 'Blue Ridge Legal',
    companyType: 2,
    isActive: true,
    createDate: '2023-12-31T23:59:59.999Z',
    city: 'Raleigh',
    parentCompanyID: 1,
  }),
  rec(
    4,
    { companyName: 'Cascade', companyType: 7, isActive: true, createDate: '2025-03-04T05:06:07Z', city: '' },
    { 'CRM ID': 'C-4' },
  ),
  rec(5, { companyName: 'Sirius Cybernetics Corporation', companyType: 1, isActive: true, city: 'Austin' }),
];

export const CONTACTS: readonly StoredRecord[] = [
  rec(
    10,
    {
      companyID: 1,
      firstName: 'Helen',
      lastName: 'Lovejoy',
      emailAddress: 'Helen@Acme.example',
      isActive: 1,
    },
    { Newsletter: '1' },
  ),
  rec(11, {
    companyID: 1,
    firstName: 'Julius',
    lastName: 'Hibbert',
    emailAddress: 'julius@acme.example',
    isActive: 0,
  }),
  rec(12, { companyID: 5, firstName: 'Zaphod', lastName: 'Beeblebrox', isActive: 1 }),
];

export function tableOf(
  entity: EntityName,
  records: readonly StoredRecord[],
  indexed = true,
): InMemoryEntityTable {
  const table = indexed ? createEntityTable(entity) : new InMemoryEntityTable({ entity });
  for (const r of records) table.insert(r);
  return table;
}

export function request(
  entity: EntityName,
  table: EntityTable,
  body: unknown,
  afterId?: number,
): QueryRequest {
  return {
    schema: schemas[entity],
    udfs: udfDefinitions[entity],
    table,
    body,
    ...(afterId === undefined ? {} : { afterId }),
  };
}

export function query(entity: EntityName, table: EntityTable, body: unknown, afterId?: number): QueryResult {
  return executeQuery(request(entity, table, body, afterId));
}

export function count(entity: EntityName, table: EntityTable, body: unknown): number {
  return countQuery(request(entity, table, body));
}

/** Ids matched by `filter` on the fixture companies. */
export function companyIds(
  filter: unknown[],
  table: EntityTable = tableOf('Companies', COMPANIES),
): number[] {
  return query('Companies', table, { filter }).items.map((r) => r.id);
}

/** The message of the `AutotaskBusinessError` thrown by `fn`. */
export function errorOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e && typeof e === 'object' && 'errors' in e) return (e as { errors: string[] }).errors;
    throw e;
  }
  throw new Error('expected an AutotaskBusinessError');
}
