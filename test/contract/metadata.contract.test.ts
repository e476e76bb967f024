/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return --
   the contract suite inspects untyped wire JSON, exactly as a foreign client would */
/**
 * Issue 2, item 6: metadata with realistic field lists — every field of the four entities in §6 of the
 * API doc, with dataType, length, isRequired, isReadOnly, isQueryable, isReference /
 * referenceEntityType, picklists (string values, labels, isActive, defaults); UDF definitions per
 * entity (API doc §5, §6, checklist §13 item 22).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ok } from './helpers/fixtures.js';
import { againstSandbox, openTarget, type ContractTarget } from './helpers/target.js';

let target: ContractTarget;
const fields: Record<string, any[]> = {};

beforeAll(async () => {
  target = await openTarget({ seed: 'demo' });
  for (const e of ['Companies', 'Contacts', 'Opportunities', 'Resources']) {
    fields[e] = ok(await target.call('GET', `V1.0/${e}/entityInformation/fields`)).fields;
  }
});
afterAll(() => target.close());

const field = (entity: string, name: string): any => {
  const f = fields[entity]!.find((x) => x.name === name);
  if (!f) throw new Error(`${entity}.${name} is missing from the metadata`);
  return f;
};

/** §6.1–6.4 field names (flattened from the doc's tables). */
const DOC_FIELDS: Record<string, string[]> = {
  Companies:
    `id companyName companyType ownerResourceID phone companyNumber additionalAddressInformation address1
    address2 alternatePhone1 alternatePhone2 fax city state postalCode countryID webAddress apiVendorID assetValue
    billToCompanyLocationID billToAdditionalAddressInformation billingAddress1 billingAddress2 billToAttention
    billToCity billToState billToZipCode billToAddressToUse billToCountryID classification companyCategoryID
    competitorID createDate createdByResourceID currencyID impersonatorCreatorResourceID invoiceEmailMessageID
    quoteEmailMessageID invoiceMethod invoiceNonContractItemsToParentCompany invoiceTemplateID quoteTemplateID
    purchaseOrderTemplateID isActive isClientPortalActive isEnabledForComanaged isTaskFireActive isTaxExempt
    lastActivityDate lastTrackedModifiedDateTime marketSegmentID parentCompanyID sicCode stockMarket stockSymbol
    surveyCompanyRating taxID taxRegionID territoryID`.split(/\s+/),
  Contacts: `id companyID firstName lastName isActive emailAddress emailAddress2 emailAddress3 title phone
    alternatePhone mobilePhone faxNumber extension addressLine addressLine1 additionalAddressInformation city
    state zipCode roomNumber countryID companyLocationID namePrefix nameSuffix middleInitial note externalID
    facebookUrl linkedInUrl twitterUrl primaryContact billingContact receivesEmailNotifications
    isOptedOutFromBulkEmail solicitationOptOut surveyOptOut bulkEmailOptOutTime solicitationOptOutTime
    apiVendorID createDate impersonatorCreatorResourceID lastActivityDate lastModifiedDate`.split(/\s+/),
  Opportunities: `id title companyID ownerResourceID status stage probability amount cost useQuoteTotals
    projectedCloseDate startDate contactID opportunityCategoryID description barriers helpNeeded market nextStep
    promotionName lossReasonDetail winReasonDetail leadSource lossReason winReason rating primaryCompetitor
    closedDate lostDate promisedFulfillmentDate throughDate createDate creatorResourceID
    impersonatorCreatorResourceID lastActivity advancedField1 advancedField2 advancedField3 advancedField4
    advancedField5 assessmentScore technicalAssessmentScore relationshipAssessmentScore monthlyCost monthlyRevenue
    quarterlyCost quarterlyRevenue semiannualCost semiannualRevenue yearlyCost yearlyRevenue onetimeCost
    onetimeRevenue revenueSpread revenueSpreadUnit totalAmountMonths productID salesOrderID
    salesProcessPercentComplete organizationalLevelAssociationID`.split(/\s+/),
  Resources: `id firstName lastName middleName initials title email email2 email3 emailTypeCode emailTypeCode2
    emailTypeCode3 userName isActive licenseType userType resourceType payrollType locationID hireDate
    numberFormat dateFormat timeFormat gender greeting suffix homePhone mobilePhone officePhone officeExtension
    accountingReferenceID payrollIdentifier internalCost defaultServiceDeskRoleID surveyResourceRating
    travelAvailabilityPct`.split(/\s+/),
};

describe('entityInformation/fields', () => {
  it.each(Object.keys(DOC_FIELDS))(
    '%s lists every field of §6 with the full field-object schema',
    (entity) => {
      const names = fields[entity]!.map((f) => f.name);
      for (const name of DOC_FIELDS[entity]!.filter(Boolean))
        expect(names, `${entity}.${name}`).toContain(name);
      for (const f of fields[entity]!) {
        expect(f).toEqual(
          expect.objectContaining({
            name: expect.any(String),
            dataType: expect.stringMatching(
              /^(string|integer|long|short|double|decimal|boolean|datetime|date)$/,
            ),
            length: expect.any(Number),
            isRequired: expect.any(Boolean),
            isReadOnly: expect.any(Boolean),
            isQueryable: expect.any(Boolean),
            isReference: expect.any(Boolean),
            referenceEntityType: expect.any(String),
            isPickList: expect.any(Boolean),
            picklistParentValueField: expect.any(String),
            isSupportedWebhookField: expect.any(Boolean),
          }),
        );
        if (f.isPickList) expect(Array.isArray(f.picklistValues)).toBe(true);
        else expect(f.picklistValues).toBeNull();
        if (f.dataType === 'string') expect(f.length, f.name).toBeGreaterThan(0);
        if (f.isReference) expect(f.referenceEntityType, f.name).not.toBe('');
      }
    },
  );

  it('required flags follow §6 exactly', () => {
    const required = (e: string): string[] =>
      fields[e]!.filter((f) => f.isRequired)
        .map((f) => f.name)
        .sort();
    expect(required('Companies')).toEqual(['companyName', 'companyType', 'ownerResourceID', 'phone'].sort());
    expect(required('Contacts')).toEqual(['companyID', 'firstName', 'isActive', 'lastName'].sort());
    expect(required('Opportunities')).toEqual(
      [
        'title',
        'companyID',
        'ownerResourceID',
        'status',
        'stage',
        'probability',
        'amount',
        'cost',
        'useQuoteTotals',
        'projectedCloseDate',
        'startDate',
      ].sort(),
    );
  });

  it('types the doc insists on: Contact isActive integer, Company/Resource isActive boolean, datetimes', () => {
    expect(field('Contacts', 'isActive').dataType).toBe('integer');
    expect(field('Companies', 'isActive').dataType).toBe('boolean');
    expect(field('Resources', 'isActive').dataType).toBe('boolean');
    for (const [e, n] of [
      ['Companies', 'createDate'],
      ['Companies', 'lastActivityDate'],
      ['Contacts', 'lastModifiedDate'],
      ['Opportunities', 'lastActivity'],
    ] as const) {
      expect(field(e, n).dataType, `${e}.${n}`).toBe('datetime');
      expect(field(e, n).isReadOnly, `${e}.${n}`).toBe(true);
    }
    expect(field('Contacts', 'title').length).toBe(50);
    expect(field('Companies', 'id').isReadOnly).toBe(true);
  });

  it('non-queryable fields are flagged (§4.3)', () => {
    expect(field('Companies', 'assetValue').isQueryable).toBe(false);
    for (const n of ['isOptedOutFromBulkEmail', 'solicitationOptOut', 'surveyOptOut']) {
      expect(field('Contacts', n).isQueryable, n).toBe(false);
    }
    expect(field('Resources', 'defaultServiceDeskRoleID').isQueryable).toBe(false);
    expect(field('Companies', 'companyName').isQueryable).toBe(true);
  });

  it('references name their entity', () => {
    expect(field('Companies', 'ownerResourceID')).toMatchObject({
      isReference: true,
      referenceEntityType: 'Resource',
    });
    expect(field('Contacts', 'companyID')).toMatchObject({
      isReference: true,
      referenceEntityType: 'Company',
    });
    expect(field('Opportunities', 'companyID')).toMatchObject({ isReference: true });
  });

  it('picklist values are strings with labels, isActive, isDefaultValue, sortOrder', () => {
    const companyType = field('Companies', 'companyType');
    expect(companyType.isPickList).toBe(true);
    for (const v of companyType.picklistValues) {
      expect(v).toEqual(
        expect.objectContaining({
          value: expect.any(String),
          label: expect.any(String),
          isDefaultValue: expect.any(Boolean),
          sortOrder: expect.any(Number),
          isActive: expect.any(Boolean),
          isSystem: expect.any(Boolean),
        }),
      );
    }
    if (!againstSandbox) {
      const labels = Object.fromEntries(companyType.picklistValues.map((v: any) => [v.value, v.label]));
      expect(labels).toMatchObject({
        '1': 'Customer',
        '2': 'Lead',
        '3': 'Prospect',
        '4': 'Dead',
        '7': 'Vendor',
        '8': 'Partner',
      });
      const status = Object.fromEntries(
        field('Opportunities', 'status').picklistValues.map((v: any) => [v.value, v.label]),
      );
      expect(Object.keys(status)).toEqual(expect.arrayContaining(['0', '1', '2', '3', '4']));
    }
    expect(field('Opportunities', 'stage').isPickList).toBe(true);
  });
});

describe('entityInformation and userDefinedFields', () => {
  it('info has the full schema with userAccessFor* as 0/1/2', async () => {
    for (const e of ['Companies', 'Contacts', 'Opportunities', 'Resources']) {
      const { info } = ok(await target.call('GET', `V1.0/${e}/entityInformation`));
      expect(info).toEqual({
        name: expect.any(String),
        canCreate: expect.any(Boolean),
        canDelete: expect.any(Boolean),
        canQuery: expect.any(Boolean),
        canUpdate: expect.any(Boolean),
        userAccessForCreate: expect.any(Number),
        userAccessForDelete: expect.any(Number),
        userAccessForQuery: expect.any(Number),
        userAccessForUpdate: expect.any(Number),
        hasUserDefinedFields: expect.any(Boolean),
        supportsWebhookCallouts: expect.any(Boolean),
      });
      for (const k of [
        'userAccessForCreate',
        'userAccessForDelete',
        'userAccessForQuery',
        'userAccessForUpdate',
      ]) {
        expect([0, 1, 2]).toContain(info[k]);
      }
    }
    const resources = ok(await target.call('GET', 'V1.0/Resources/entityInformation')).info;
    expect(resources.hasUserDefinedFields).toBe(false);
    const opportunities = ok(await target.call('GET', 'V1.0/Opportunities/entityInformation')).info;
    expect(opportunities.supportsWebhookCallouts).toBe(false);
  });

  it('UDF definitions use `type`, not `dataType`; Resources have none', async () => {
    for (const e of ['Companies', 'Contacts', 'Opportunities']) {
      const udfs = ok(await target.call('GET', `V1.0/${e}/entityInformation/userDefinedFields`))
        .fields as any[];
      if (!againstSandbox) expect(udfs.length, e).toBeGreaterThan(0);
      for (const u of udfs) {
        expect(u).toEqual(
          expect.objectContaining({
            name: expect.any(String),
            label: expect.any(String),
            type: expect.any(String),
          }),
        );
        expect(u).not.toHaveProperty('dataType');
        expect(u).toHaveProperty('defaultValue');
      }
    }
    const none = ok(await target.call('GET', 'V1.0/Resources/entityInformation/userDefinedFields'));
    expect(none).toEqual({ fields: [] });
  });
});
