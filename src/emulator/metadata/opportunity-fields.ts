/**
 * Opportunities (`OpportunityModel`, API doc §6.3): every field. Opportunities support no webhooks, so
 * no field is a webhook field. The timestamp is `lastActivity` (there is no `lastModifiedDate`).
 */
import type { FieldFlags } from './field-builders.js';
import type { FieldInformation } from '../../autotask/types.js';
import {
  booleanField,
  dateTimeField,
  numberField,
  picklistField,
  referenceField,
  stringField,
} from './field-builders.js';
import {
  competitorPicklist,
  leadSourcePicklist,
  lossReasonPicklist,
  opportunityRatingPicklist,
  opportunityStagePicklist,
  opportunityStatusPicklist,
  winReasonPicklist,
} from './picklists.js';

export function opportunityFields(): FieldInformation[] {
  const o: FieldFlags = { webhook: false };
  const req: FieldFlags = { webhook: false, required: true };
  const ro: FieldFlags = { webhook: false, readOnly: true };
  return [
    numberField('id', 'long', ro),
    numberField('advancedField1', 'double', o),
    numberField('advancedField2', 'double', o),
    numberField('advancedField3', 'double', o),
    numberField('advancedField4', 'double', o),
    numberField('advancedField5', 'double', o),
    numberField('amount', 'double', req),
    numberField('assessmentScore', 'double', o),
    stringField('barriers', 500, o),
    dateTimeField('closedDate', o),
    referenceField('companyID', 'Company', req),
    referenceField('contactID', 'Contact', o),
    numberField('cost', 'double', req),
    dateTimeField('createDate', ro),
    referenceField('creatorResourceID', 'Resource', ro),
    stringField('description', 8000, o),
    stringField('helpNeeded', 500, o),
    referenceField('impersonatorCreatorResourceID', 'Resource', ro),
    dateTimeField('lastActivity', ro),
    picklistField('leadSource', leadSourcePicklist(), o),
    picklistField('lossReason', lossReasonPicklist(), o),
    stringField('lossReasonDetail', 500, o),
    dateTimeField('lostDate', o),
    stringField('market', 500, o),
    numberField('monthlyCost', 'double', o),
    numberField('monthlyRevenue', 'double', o),
    stringField('nextStep', 500, o),
    numberField('onetimeCost', 'double', o),
    numberField('onetimeRevenue', 'double', o),
    referenceField('opportunityCategoryID', 'OpportunityCategory', o),
    referenceField('organizationalLevelAssociationID', 'OrganizationalLevelAssociation', o),
    referenceField('ownerResourceID', 'Resource', req),
    picklistField('primaryCompetitor', competitorPicklist(), o),
    numberField('probability', 'integer', req),
    referenceField('productID', 'Product', o),
    dateTimeField('projectedCloseDate', req),
    dateTimeField('promisedFulfillmentDate', o),
    stringField('promotionName', 50, o),
    numberField('quarterlyCost', 'double', o),
    numberField('quarterlyRevenue', 'double', o),
    picklistField('rating', opportunityRatingPicklist(), o),
    numberField('relationshipAssessmentScore', 'double', o),
    numberField('revenueSpread', 'integer', o),
    stringField('revenueSpreadUnit', 10, o),
    referenceField('salesOrderID', 'SalesOrder', ro),
    numberField('salesProcessPercentComplete', 'double', o),
    numberField('semiannualCost', 'double', o),
    numberField('semiannualRevenue', 'double', o),
    picklistField('stage', opportunityStagePicklist(), req),
    dateTimeField('startDate', req),
    picklistField('status', opportunityStatusPicklist(), req),
    numberField('technicalAssessmentScore', 'double', o),
    dateTimeField('throughDate', o),
    stringField('title', 128, req),
    numberField('totalAmountMonths', 'integer', o),
    booleanField('useQuoteTotals', req),
    picklistField('winReason', winReasonPicklist(), o),
    stringField('winReasonDetail', 500, o),
    numberField('yearlyCost', 'double', o),
    numberField('yearlyRevenue', 'double', o),
  ];
}
