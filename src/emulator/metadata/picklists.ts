/**
 * Default picklist values of the emulator's tenant (API doc §6.5). Picklists are tenant data in
 * Autotask; system values use small ids, tenant-defined values use large ids like 29682772, as seen in
 * real tenants. Every list that a validator may reject against has at least one inactive value.
 */
import type { PicklistValue } from '../../autotask/types.js';
import { picklist } from './field-builders.js';

/** Company `companyType` (§6.5 working assumption), plus one inactive tenant value. */
export function companyTypePicklist(): PicklistValue[] {
  return picklist([
    { value: 1, label: 'Customer' },
    { value: 2, label: 'Lead' },
    { value: 3, label: 'Prospect', isDefaultValue: true },
    { value: 4, label: 'Dead' },
    { value: 6, label: 'Cancelation' },
    { value: 7, label: 'Vendor' },
    { value: 8, label: 'Partner' },
    { value: 5, label: 'Former Reseller', isActive: false, isSystem: false },
  ]);
}

/** Company type of the tenant's own company (id 0). */
export const COMPANY_TYPE_PARTNER = 8;

export function companyClassificationPicklist(): PicklistValue[] {
  return picklist([
    { value: 15, label: 'Gold', isSystem: false },
    { value: 16, label: 'Silver', isSystem: false },
    { value: 17, label: 'Bronze', isSystem: false },
    { value: 29682801, label: 'Strategic', isSystem: false },
    { value: 29682802, label: 'Legacy', isActive: false, isSystem: false },
  ]);
}

export function territoryPicklist(): PicklistValue[] {
  return picklist([
    { value: 29682778, label: 'North', isSystem: false },
    { value: 29682779, label: 'South', isSystem: false },
    { value: 29682780, label: 'East', isSystem: false },
    { value: 29682781, label: 'West', isSystem: false },
    { value: 29682782, label: 'Central (retired)', isActive: false, isSystem: false },
  ]);
}

export function marketSegmentPicklist(): PicklistValue[] {
  return picklist([
    { value: 29682810, label: 'Healthcare', isSystem: false },
    { value: 29682811, label: 'Legal', isSystem: false },
    { value: 29682812, label: 'Manufacturing', isSystem: false },
    { value: 29682813, label: 'Financial Services', isSystem: false },
    { value: 29682814, label: 'Education', isSystem: false },
    { value: 29682815, label: 'Non-profit', isSystem: false },
    { value: 29682816, label: 'Retail (old)', isActive: false, isSystem: false },
  ]);
}

export function billToAddressToUsePicklist(): PicklistValue[] {
  return picklist([
    { value: 1, label: 'Use Company Address', isDefaultValue: true },
    { value: 2, label: 'Use Parent Company Address' },
    { value: 3, label: "Use Parent Company's Bill To Address" },
    { value: 4, label: 'Use Bill To Address Below' },
  ]);
}

export function invoiceMethodPicklist(): PicklistValue[] {
  return picklist([
    { value: 1, label: 'Email', isDefaultValue: true },
    { value: 2, label: 'Mail' },
    { value: 3, label: 'Email and Mail' },
    { value: 4, label: 'Fax', isActive: false },
  ]);
}

export function competitorPicklist(): PicklistValue[] {
  return picklist([
    { value: 29682830, label: 'Northwind IT', isSystem: false },
    { value: 29682831, label: 'Contoso Managed Services', isSystem: false },
    { value: 29682832, label: 'Fabrikam Support', isSystem: false },
    { value: 29682833, label: 'Defunct Rival', isActive: false, isSystem: false },
  ]);
}

export function namePrefixPicklist(): PicklistValue[] {
  return picklist([
    { value: 1, label: 'Mr.' },
    { value: 2, label: 'Mrs.' },
    { value: 3, label: 'Ms.' },
    { value: 4, label: 'Dr.' },
    { value: 5, label: 'Prof.' },
    { value: 6, label: 'Rev.', isActive: false },
  ]);
}

export function nameSuffixPicklist(): PicklistValue[] {
  return picklist([
    { value: 1, label: 'Jr.' },
    { value: 2, label: 'Sr.' },
    { value: 3, label: 'II' },
    { value: 4, label: 'III' },
    { value: 5, label: 'PhD' },
    { value: 6, label: 'Esq.', isActive: false },
  ]);
}

/** Opportunity `status` (§6.5). */
export function opportunityStatusPicklist(): PicklistValue[] {
  return picklist([
    { value: 0, label: 'Not Ready To Buy' },
    { value: 1, label: 'Active', isDefaultValue: true },
    { value: 2, label: 'Lost' },
    { value: 3, label: 'Closed' },
    { value: 4, label: 'Implemented' },
  ]);
}

/** Opportunity `stage`: tenant-defined ids (e.g. 13 or 29682772, §6.3). */
export function opportunityStagePicklist(): PicklistValue[] {
  return picklist([
    { value: 11, label: 'Prospecting', isSystem: false },
    { value: 12, label: 'Qualified', isSystem: false, isDefaultValue: true },
    { value: 13, label: 'Proposal', isSystem: false },
    { value: 14, label: 'Negotiation', isSystem: false },
    { value: 29682772, label: 'Verbal Agreement', isSystem: false },
    { value: 29682773, label: 'Discovery (retired)', isActive: false, isSystem: false },
  ]);
}

export function opportunityRatingPicklist(): PicklistValue[] {
  return picklist([
    { value: 29682840, label: 'Hot', isSystem: false },
    { value: 29682841, label: 'Warm', isSystem: false },
    { value: 29682842, label: 'Cold', isSystem: false },
    { value: 29682843, label: 'Frozen', isActive: false, isSystem: false },
  ]);
}

export function leadSourcePicklist(): PicklistValue[] {
  return picklist([
    { value: 29682850, label: 'Website', isSystem: false },
    { value: 29682851, label: 'Referral', isSystem: false },
    { value: 29682852, label: 'Trade Show', isSystem: false },
    { value: 29682853, label: 'Cold Call', isSystem: false },
    { value: 29682854, label: 'Partner', isSystem: false },
    { value: 29682855, label: 'Print Advert', isActive: false, isSystem: false },
  ]);
}

export function lossReasonPicklist(): PicklistValue[] {
  return picklist([
    { value: 29682860, label: 'Price', isSystem: false },
    { value: 29682861, label: 'Went with competitor', isSystem: false },
    { value: 29682862, label: 'No decision', isSystem: false },
    { value: 29682863, label: 'Timing', isSystem: false },
    { value: 29682864, label: 'Budget cut (old)', isActive: false, isSystem: false },
  ]);
}

export function winReasonPicklist(): PicklistValue[] {
  return picklist([
    { value: 29682870, label: 'Price', isSystem: false },
    { value: 29682871, label: 'Relationship', isSystem: false },
    { value: 29682872, label: 'Product fit', isSystem: false },
    { value: 29682873, label: 'Response time', isSystem: false },
    { value: 29682874, label: 'Luck (old)', isActive: false, isSystem: false },
  ]);
}

/** Resource `licenseType`; value 7 marks API-only users (see `isApiOnlyResource`). */
export function licenseTypePicklist(): PicklistValue[] {
  return picklist([
    { value: 1, label: 'Full', isDefaultValue: true },
    { value: 2, label: 'Time and Attendance' },
    { value: 3, label: 'Dashboard' },
    { value: 4, label: 'Co-managed' },
    { value: 7, label: 'API User' },
    { value: 9, label: 'Legacy Limited', isActive: false },
  ]);
}

/** `licenseType` of API-only resources. */
export const LICENSE_TYPE_API_USER = 7;
/** `licenseType` of normal licensed users. */
export const LICENSE_TYPE_FULL = 1;

export function userTypePicklist(): PicklistValue[] {
  return picklist([
    { value: 1, label: 'Administrator' },
    { value: 5, label: 'Dispatcher' },
    { value: 10, label: 'Technician' },
    { value: 12, label: 'Sales' },
    { value: 20, label: 'API User (system)' },
    { value: 21, label: 'Retired Role', isActive: false },
  ]);
}

export const USER_TYPE_API_USER = 20;

export function payrollTypePicklist(): PicklistValue[] {
  return picklist([
    { value: 1, label: 'Salaried' },
    { value: 2, label: 'Hourly' },
    { value: 3, label: 'Salaried Non-Exempt' },
    { value: 4, label: 'Contractor' },
    { value: 5, label: 'Intern (old)', isActive: false },
  ]);
}

export function greetingPicklist(): PicklistValue[] {
  return picklist([
    { value: 1, label: 'Mr.' },
    { value: 2, label: 'Mrs.' },
    { value: 3, label: 'Ms.' },
    { value: 4, label: 'Dr.' },
  ]);
}

export function resourceSuffixPicklist(): PicklistValue[] {
  return picklist([
    { value: 1, label: 'Jr.' },
    { value: 2, label: 'Sr.' },
    { value: 3, label: 'III' },
  ]);
}
