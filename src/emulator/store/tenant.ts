/**
 * A tenant built from tables: holds the per-entity id counters. Persistence restores a tenant by
 * inserting stored records into fresh tables and calling `createTenant` with them; `nextId` then
 * continues above the highest id present.
 */
import type { EntityName, UserDefinedFieldInformation } from '../../autotask/types.js';
import { ENTITY_NAMES } from '../../autotask/types.js';
import type { ApiUser, Tenant } from '../contracts.js';
import { DEFAULT_INDEXED_FIELDS } from './default-indexed-fields.js';
import { InMemoryEntityTable } from './in-memory-entity-table.js';

/** First id handed out to tenant-created rows of every entity (real tenants use ids like 29683616). */
export const FIRST_TENANT_ID = 29683000;

export interface TenantInit {
  udfDefinitions: Record<EntityName, UserDefinedFieldInformation[]>;
  apiUsers: ApiUser[];
  /** Tables to use; missing ones are created empty with the default indexes. @default all empty */
  tables?: Partial<Record<EntityName, InMemoryEntityTable>>;
  /** Lowest id `nextId` returns per entity. @default FIRST_TENANT_ID for every entity */
  firstIds?: Partial<Record<EntityName, number>>;
}

/** A tenant whose tables are `InMemoryEntityTable`s (so their highest id is known). */
export interface InMemoryTenant extends Tenant {
  tables: Record<EntityName, InMemoryEntityTable>;
}

/** Creates an empty table for `entity` with the default equality indexes. */
export function createEntityTable(entity: EntityName): InMemoryEntityTable {
  return new InMemoryEntityTable({ entity, indexedFields: DEFAULT_INDEXED_FIELDS[entity] });
}

export function createTenant(init: TenantInit): InMemoryTenant {
  const tables = {} as Record<EntityName, InMemoryEntityTable>;
  const counters = {} as Record<EntityName, number>;
  for (const entity of ENTITY_NAMES) {
    tables[entity] = init.tables?.[entity] ?? createEntityTable(entity);
    counters[entity] = init.firstIds?.[entity] ?? FIRST_TENANT_ID;
  }
  return {
    tables,
    udfDefinitions: init.udfDefinitions,
    apiUsers: init.apiUsers,
    nextId(entity: EntityName): number {
      const max = tables[entity].maxId();
      const id = Math.max(counters[entity], max === undefined ? -Infinity : max + 1);
      counters[entity] = id + 1;
      return id;
    },
  };
}
