/**
 * Value sets for seeded Companies, Contacts and Opportunities, shared by the demo data and the load-test
 * generator, so both look like what Autotask returns (defaults such as `billToAddressToUse` 1 applied).
 */
import { formatAutotaskDateTime } from '../../autotask/datetime.js';
import type { StoredRecord } from '../contracts.js';
import { ADMIN_RESOURCE_ID } from './seed-resources.js';
import { storedRecord } from './stored-record.js';

const DAY = 86_400_000;
/** Autotask's country id of the United States. */
export const COUNTRY_ID_US = 237;
/** The default company category. */
export const DEFAULT_COMPANY_CATEGORY_ID = 1;

/** A UTC midnight, as date-only fields carry (no timezone shift, §6.6). */
export function dateOnly(ms: number): string {
  return formatAutotaskDateTime(Math.floor(ms / DAY) * DAY);
}

export interface CompanySpec {
  name: string;
  type: number;
  ownerResourceID: number;
  phone: string;
  city: string;
  state: string;
  postalCode: string;
  address1: string;
  webAddress?: string;
  classification?: number;
  territoryID?: number;
  marketSegmentID?: number;
  isActive?: boolean;
  createdAt: number;
  lastActivityAt: number;
  udfs?: Record<string, string | null>;
}

export function companyRecord(id: number, s: CompanySpec): StoredRecord {
  return storedRecord(
    id,
    {
      companyName: s.name,
      companyType: s.type,
      ownerResourceID: s.ownerResourceID,
      phone: s.phone,
      address1: s.address1,
      city: s.city,
      state: s.state,
      postalCode: s.postalCode,
      countryID: COUNTRY_ID_US,
      webAddress: s.webAddress,
      classification: s.classification,
      territoryID: s.territoryID,
      marketSegmentID: s.marketSegmentID,
      companyCategoryID: DEFAULT_COMPANY_CATEGORY_ID,
      billToAddressToUse: 1,
      isActive: s.isActive ?? true,
      isClientPortalActive: false,
      isEnabledForComanaged: false,
      isTaskFireActive: false,
      isTaxExempt: false,
      invoiceNonContractItemsToParentCompany: false,
      createDate: formatAutotaskDateTime(s.createdAt),
      createdByResourceID: ADMIN_RESOURCE_ID,
      lastActivityDate: formatAutotaskDateTime(s.lastActivityAt),
      lastTrackedModifiedDateTime: formatAutotaskDateTime(s.lastActivityAt),
    },
    s.udfs,
  );
}

export interface ContactSpec {
  companyID: number;
  firstName: string;
  lastName: string;
  emailAddress?: string;
  title?: string;
  phone?: string;
  mobilePhone?: string;
  isActive?: boolean;
  primaryContact?: boolean;
  createdAt: number;
  lastActivityAt: number;
  udfs?: Record<string, string | null>;
}

export function contactRecord(id: number, s: ContactSpec): StoredRecord {
  const created = formatAutotaskDateTime(s.createdAt);
  const touched = formatAutotaskDateTime(s.lastActivityAt);
  return storedRecord(
    id,
    {
      companyID: s.companyID,
      firstName: s.firstName,
      lastName: s.lastName,
      emailAddress: s.emailAddress,
      title: s.title,
      phone: s.phone,
      mobilePhone: s.mobilePhone,
      countryID: COUNTRY_ID_US,
      isActive: s.isActive === false ? 0 : 1,
      primaryContact: s.primaryContact ?? false,
      billingContact: false,
      receivesEmailNotifications: true,
      isOptedOutFromBulkEmail: false,
      solicitationOptOut: false,
      surveyOptOut: false,
      createDate: created,
      lastActivityDate: touched,
      lastModifiedDate: touched,
    },
    s.udfs,
  );
}

export interface OpportunitySpec {
  title: string;
  companyID: number;
  contactID?: number;
  ownerResourceID: number;
  status: number;
  stage: number;
  probability: number;
  amount: number;
  cost: number;
  startAt: number;
  closeAt: number;
  createdAt: number;
  lastActivityAt: number;
  udfs?: Record<string, string | null>;
}

export function opportunityRecord(id: number, s: OpportunitySpec): StoredRecord {
  return storedRecord(
    id,
    {
      title: s.title,
      companyID: s.companyID,
      contactID: s.contactID,
      ownerResourceID: s.ownerResourceID,
      status: s.status,
      stage: s.stage,
      probability: s.probability,
      amount: s.amount,
      cost: s.cost,
      useQuoteTotals: false,
      startDate: dateOnly(s.startAt),
      projectedCloseDate: dateOnly(s.closeAt),
      totalAmountMonths: 12,
      createDate: formatAutotaskDateTime(s.createdAt),
      creatorResourceID: ADMIN_RESOURCE_ID,
      lastActivity: formatAutotaskDateTime(s.lastActivityAt),
    },
    s.udfs,
  );
}
