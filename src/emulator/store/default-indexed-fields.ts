/**
 * Fields a sync looks records up by (dedupe keys and relationships), per entity. Each gets an equality
 * index in the in-memory table; every index costs memory (~40 bytes per record for a unique string
 * key), so only lookup keys are indexed, not every field a filter might use.
 */
import type { EntityName } from '../../autotask/types.js';

export const DEFAULT_INDEXED_FIELDS: Readonly<Record<EntityName, readonly string[]>> = {
  Companies: ['companyName', 'parentCompanyID'],
  Contacts: ['emailAddress', 'companyID', 'externalID'],
  Opportunities: ['title', 'companyID', 'contactID'],
  Resources: ['email', 'userName'],
};
