/**
 * The product's own rules about fields (product.md §2), on top of Autotask's live metadata.
 */
import type { WritableObject } from '../../config/objects.js';
import type { WireValue } from './types.js';

/** Fields autotask-sync needs on create, with the reason shown to the user. */
export const PRODUCT_REQUIRED_FIELDS: Readonly<
  Record<WritableObject, readonly { field: string; reason: string }[]>
> = {
  Company: [
    { field: 'companyName', reason: 'a company needs a name (it is also the dedupe key)' },
    { field: 'companyType', reason: 'Autotask needs a company type' },
    { field: 'ownerResourceID', reason: 'Autotask needs an owner (an active resource)' },
    { field: 'phone', reason: 'Autotask needs a phone number for a company' },
  ],
  Contact: [
    { field: 'companyID', reason: 'a contact must belong to a company' },
    { field: 'firstName', reason: 'Autotask needs a first name' },
    { field: 'lastName', reason: 'Autotask needs a last name' },
    { field: 'emailAddress', reason: 'the email address is the contact dedupe key' },
    { field: 'isActive', reason: 'Autotask needs Active (1 or 0)' },
  ],
  Opportunity: [
    { field: 'title', reason: 'Autotask needs a title' },
    { field: 'companyID', reason: 'an opportunity must belong to a company' },
    { field: 'ownerResourceID', reason: 'Autotask needs an owner (an active resource)' },
    { field: 'status', reason: 'Autotask needs a status' },
    { field: 'stage', reason: 'Autotask needs a stage' },
    { field: 'probability', reason: 'Autotask needs a probability (percent)' },
    { field: 'amount', reason: 'Autotask needs an amount' },
    { field: 'cost', reason: 'Autotask needs a cost' },
    { field: 'useQuoteTotals', reason: 'Autotask needs useQuoteTotals' },
    { field: 'startDate', reason: 'Autotask needs a start date' },
    { field: 'projectedCloseDate', reason: 'Autotask needs a projected close date' },
  ],
};

/**
 * Defaults the product adds when the field is not mapped at all (product.md §2: a contact is Active
 * unless said otherwise). Applied on create only, like any default.
 */
export const IMPLICIT_DEFAULTS: Readonly<Record<WritableObject, Readonly<Record<string, WireValue>>>> = {
  Company: {},
  Contact: { isActive: 1 },
  Opportunity: {},
};

/**
 * Datetime fields with date-only meaning (API doc §6.3, §6.6): Autotask keeps midnight and applies no
 * time zone, so we never shift them. Fields whose metadata type is `date` are date-only too.
 */
export const DATE_ONLY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Opportunity: ['projectedCloseDate', 'startDate'],
};

/** Example defaults shown in "map it or give a default" fixes, by object and field. */
export const EXAMPLE_DEFAULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Company: { companyType: 'Prospect' },
  Opportunity: { status: 'Active', probability: '50', amount: '0', cost: '0', useQuoteTotals: 'true' },
};
