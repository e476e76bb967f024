/**
 * Fields a sync looks records up by (dedupe keys, relationships, change detection by id), per entity.
 * Each gets an equality index in the in-memory table.
 */
import type { EntityName } from '../../autotask/types.js';

export const DEFAULT_INDEXED_FIELDS: Readonly<Record<EntityName, readonly string[]>> = {
  Companies: ['companyName', 'companyNumber', 'parentCompanyID', 'ownerResourceID'],
  Contacts: ['emailAddress', 'companyID', 'externalID', 'lastName'],
  Opportunities: ['title', 'companyID', 'contactID'],
  Resources: ['email', 'userName'],
};
