/**
 * Typed records of the four entities. Only the fields a sync commonly touches are named; every
 * record may carry more (tenant metadata is authoritative), reachable with bracket access.
 */
import type { EntityRecord } from '../types.js';

export type Company = EntityRecord & {
  companyName?: string;
  companyNumber?: string | null;
  /** Picklist (1 Customer, 2 Lead, 3 Prospect, ... per tenant metadata). */
  companyType?: number;
  ownerResourceID?: number;
  phone?: string | null;
  webAddress?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  countryID?: number | null;
  isActive?: boolean;
  parentCompanyID?: number | null;
  createDate?: string;
  lastActivityDate?: string;
  lastTrackedModifiedDateTime?: string;
};

export type Contact = EntityRecord & {
  companyID?: number;
  firstName?: string;
  lastName?: string;
  emailAddress?: string | null;
  /** An integer (1/0) on Contacts, not a boolean. */
  isActive?: number;
  title?: string | null;
  phone?: string | null;
  mobilePhone?: string | null;
  externalID?: string | null;
  createDate?: string;
  lastActivityDate?: string;
  lastModifiedDate?: string;
};

export type Opportunity = EntityRecord & {
  title?: string;
  companyID?: number;
  contactID?: number | null;
  ownerResourceID?: number;
  status?: number;
  stage?: number;
  probability?: number;
  amount?: number;
  cost?: number;
  useQuoteTotals?: boolean;
  startDate?: string;
  projectedCloseDate?: string;
  createDate?: string;
  lastActivity?: string;
};

export type Resource = EntityRecord & {
  firstName?: string;
  lastName?: string;
  email?: string;
  userName?: string;
  isActive?: boolean;
  resourceType?: string;
  licenseType?: number;
};

/** Record type per entity name. */
export interface EntityRecordMap {
  Companies: Company;
  Contacts: Contact;
  Opportunities: Opportunity;
  Resources: Resource;
}

/** Fields for a create: no `id` (Autotask assigns it). */
export type NewRecord<T extends EntityRecord> = Omit<Partial<T>, 'id'> & Record<string, unknown>;
/** Fields for a PATCH: the `id` plus only what changes. */
export type RecordPatch<T extends EntityRecord> = Partial<T> & { id: number } & Record<string, unknown>;
