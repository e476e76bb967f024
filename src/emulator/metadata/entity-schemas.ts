/** The four entity schemas the emulator serves (fields, capabilities, names). */
import type { EntityName, FieldInformation } from '../../autotask/types.js';
import type { EntitySchema } from '../contracts.js';
import { companyFields } from './company-fields.js';
import { contactFields } from './contact-fields.js';
import { ENTITY_SINGULAR, entityInformation } from './entity-info.js';
import { opportunityFields } from './opportunity-fields.js';
import { resourceFields } from './resource-fields.js';

const FIELD_LISTS: Record<EntityName, () => FieldInformation[]> = {
  Companies: companyFields,
  Contacts: contactFields,
  Opportunities: opportunityFields,
  Resources: resourceFields,
};

/** Builds one entity's schema; `udfCount` is how many UDFs the tenant defines for it. */
export function createEntitySchema(entity: EntityName, udfCount = 0): EntitySchema {
  return {
    name: entity,
    singular: ENTITY_SINGULAR[entity],
    info: entityInformation(entity, udfCount),
    fields: FIELD_LISTS[entity](),
  };
}

/**
 * Fresh schemas for all four entities. Pass the tenant's UDF definitions so that
 * `info.hasUserDefinedFields` reflects them.
 */
export function createEntitySchemas(
  udfDefinitions?: Partial<Record<EntityName, readonly unknown[]>>,
): Record<EntityName, EntitySchema> {
  const count = (e: EntityName): number => udfDefinitions?.[e]?.length ?? 0;
  return {
    Companies: createEntitySchema('Companies', count('Companies')),
    Contacts: createEntitySchema('Contacts', count('Contacts')),
    Opportunities: createEntitySchema('Opportunities', count('Opportunities')),
    Resources: createEntitySchema('Resources', 0),
  };
}
