/**
 * Validation of a write against the entity's metadata, exactly as the metadata declares it (API doc
 * §3.4–3.5, §13 item 12): required fields, string lengths, picklist membership (active values only,
 * dependent picklists), references to records the emulator serves, owner resources that must be
 * active and not API-only, and an opportunity's contact belonging to its company. All problems found
 * are reported together as `500 {"errors":[...]}`. Wordings: see `messages.ts`.
 */
import type { EntityName, FieldInformation } from '../../autotask/types.js';
import { AutotaskBusinessError, type EntitySchema, type Tenant } from '../contracts.js';
import { isApiOnlyResource } from '../metadata/index.js';
import { messages } from './messages.js';

export type WriteMode = 'create' | 'patch' | 'put';

export interface WriteCheck {
  schema: EntitySchema;
  tenant: Tenant;
  mode: WriteMode;
  /** The record's values after the write (canonical field names; null/absent = no value). */
  values: Readonly<Record<string, unknown>>;
  /** Fields the request supplied (canonical names); only these are checked for length/membership. */
  supplied: ReadonlySet<string>;
}

/** Entities a `referenceEntityType` names, when the emulator serves them. */
const REFERENCED: Readonly<Record<string, EntityName>> = {
  Company: 'Companies',
  Contact: 'Contacts',
  Opportunity: 'Opportunities',
  Resource: 'Resources',
};

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function checkPicklist(field: FieldInformation, value: unknown, check: WriteCheck, errors: string[]): void {
  const wanted = String(value);
  const entry = field.picklistValues?.find((v) => v.value === wanted);
  if (!entry) {
    errors.push(messages.noReference(field.name));
    return;
  }
  if (!entry.isActive) {
    errors.push(messages.inactivePicklistValue(field.name, value));
    return;
  }
  const parentField = field.picklistParentValueField;
  if (parentField && entry.parentValue) {
    const parentValue = check.values[parentField];
    if (!isBlank(parentValue) && String(parentValue) !== entry.parentValue) {
      errors.push(messages.picklistParentMismatch(field.name, value, parentField, parentValue));
    }
  }
}

function checkReference(field: FieldInformation, value: unknown, check: WriteCheck, errors: string[]): void {
  const target = REFERENCED[field.referenceEntityType];
  if (!target) return; // Not emulated (countries, categories, locations, ...).
  if (typeof value !== 'number') {
    errors.push(messages.noReference(field.name));
    return;
  }
  const record = check.tenant.tables[target].get(value);
  if (!record) {
    errors.push(messages.noReference(field.name));
    return;
  }
  if (target === 'Resources') {
    const apiUser = check.tenant.apiUsers.some((u) => u.resourceId === value);
    if (record.values['isActive'] !== true || apiUser || isApiOnlyResource(record.values)) {
      errors.push(messages.ownerNotAssignable(field.name, value));
    }
  }
}

/** Cross-field rule: an opportunity's contact must belong to the opportunity's company. */
function checkOpportunityContact(check: WriteCheck, errors: string[]): void {
  if (check.schema.name !== 'Opportunities') return;
  if (!check.supplied.has('contactID') && !check.supplied.has('companyID')) return;
  const contactId = check.values['contactID'];
  const companyId = check.values['companyID'];
  if (typeof contactId !== 'number' || typeof companyId !== 'number') return;
  const contact = check.tenant.tables.Contacts.get(contactId);
  if (contact && contact.values['companyID'] !== companyId) {
    errors.push(messages.sameCompany('contactID', contactId, 'Opportunity', 'Contact'));
  }
}

/** Throws `AutotaskBusinessError` listing every problem of the write; returns when it is valid. */
export function validateWrite(check: WriteCheck): void {
  const errors: string[] = [];
  const requireAll = check.mode !== 'patch';
  for (const field of check.schema.fields) {
    if (field.isReadOnly) continue;
    const value = check.values[field.name];
    const supplied = check.supplied.has(field.name);
    if (field.isRequired && isBlank(value) && (requireAll || supplied)) {
      errors.push(messages.required(field.name));
      continue;
    }
    if (!supplied || value === null || value === undefined) continue;
    if (field.dataType === 'string' && field.length > 0 && typeof value === 'string') {
      if (value.length > field.length) errors.push(messages.tooLong(field.name, field.length));
    }
    if (field.isPickList) checkPicklist(field, value, check, errors);
    else if (field.isReference) checkReference(field, value, check, errors);
  }
  checkOpportunityContact(check, errors);
  if (errors.length) throw new AutotaskBusinessError(errors);
}
