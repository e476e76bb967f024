/**
 * Small, explicit Autotask metadata for tests (wire shapes from src/autotask/types.ts): builders for a
 * field, a picklist value and a UDF with every flag at its plain default, and entity metadata built
 * from them. Each builder takes the properties a test cares about as overrides.
 */
import type {
  FieldDataType,
  FieldInformation,
  PicklistValue,
  UserDefinedFieldInformation,
} from '../../src/autotask/types.js';
import type { EntityMetadata } from '../../src/sync/mapping/index.js';

export function field(
  name: string,
  dataType: FieldDataType,
  opts: Partial<Omit<FieldInformation, 'name' | 'dataType'>> = {},
): FieldInformation {
  return {
    name,
    dataType,
    length: dataType === 'string' ? 100 : 0,
    isRequired: false,
    isReadOnly: false,
    isQueryable: true,
    isReference: false,
    referenceEntityType: '',
    isPickList: false,
    picklistValues: null,
    picklistParentValueField: '',
    isSupportedWebhookField: false,
    ...opts,
  };
}

export function pick(value: number | string, label: string, isActive = true, sortOrder = 0): PicklistValue {
  return {
    value: String(value),
    label,
    isDefaultValue: false,
    sortOrder,
    parentValue: '',
    isActive,
    isSystem: false,
  };
}

export function udf(
  name: string,
  type: FieldDataType,
  opts: Partial<Omit<UserDefinedFieldInformation, 'name' | 'type'>> = {},
): UserDefinedFieldInformation {
  return {
    name,
    label: name,
    type,
    length: type === 'string' ? 50 : 0,
    description: '',
    isRequired: false,
    isReadOnly: false,
    isQueryable: true,
    isReference: false,
    referenceEntityType: '',
    isPickList: false,
    picklistValues: null,
    picklistParentValueField: '',
    defaultValue: null,
    isSupportedWebhookField: false,
    ...opts,
  };
}

export const companyTypes = [
  pick(1, 'Customer', true, 1),
  pick(2, 'Lead', true, 2),
  pick(3, 'Prospect', true, 3),
  pick(4, 'Dead', false, 4),
  pick(7, 'Vendor', true, 7),
];

export const companyMetadata: EntityMetadata = {
  fields: [
    field('id', 'long', { isReadOnly: true }),
    field('companyName', 'string', { isRequired: true, length: 100 }),
    field('companyType', 'short', { isRequired: true, isPickList: true, picklistValues: companyTypes }),
    field('ownerResourceID', 'integer', {
      isRequired: true,
      isReference: true,
      referenceEntityType: 'Resource',
    }),
    field('phone', 'string', { isRequired: true, length: 25 }),
    field('webAddress', 'string', { length: 255 }),
    field('city', 'string', { length: 30 }),
    field('isActive', 'boolean'),
    field('assetValue', 'double'),
    field('parentCompanyID', 'integer', { isReference: true, referenceEntityType: 'Company' }),
    field('createDate', 'datetime', { isReadOnly: true }),
    field('lastActivityDate', 'datetime', { isReadOnly: true }),
  ],
  udfs: [
    udf('Customer Ranking', 'string', { length: 20 }),
    udf('Discount', 'decimal'),
    udf('Lead Source', 'integer', {
      isPickList: true,
      picklistValues: [pick(1, 'Website'), pick(2, 'Referral'), pick(4, 'Directory listing', false)],
    }),
    udf('Renewal', 'date'),
  ],
};

export const contactMetadata: EntityMetadata = {
  fields: [
    field('id', 'long', { isReadOnly: true }),
    field('companyID', 'integer', { isRequired: true, isReference: true, referenceEntityType: 'Company' }),
    field('firstName', 'string', { isRequired: true, length: 50 }),
    field('lastName', 'string', { isRequired: true, length: 50 }),
    field('emailAddress', 'string', { length: 254 }),
    field('emailAddress2', 'string', { length: 254 }),
    field('isActive', 'integer', { isRequired: true }),
    field('title', 'string', { length: 50 }),
    field('phone', 'string', { length: 25 }),
  ],
  udfs: [udf('Newsletter', 'integer', { isPickList: true, picklistValues: [pick(1, 'Yes'), pick(2, 'No')] })],
};

export const opportunityMetadata: EntityMetadata = {
  fields: [
    field('id', 'long', { isReadOnly: true }),
    field('title', 'string', { isRequired: true, length: 128 }),
    field('companyID', 'integer', { isRequired: true, isReference: true, referenceEntityType: 'Company' }),
    field('contactID', 'integer', { isReference: true, referenceEntityType: 'Contact' }),
    field('ownerResourceID', 'integer', {
      isRequired: true,
      isReference: true,
      referenceEntityType: 'Resource',
    }),
    field('status', 'integer', {
      isRequired: true,
      isPickList: true,
      picklistValues: [
        pick(0, 'Not Ready To Buy'),
        pick(1, 'Active', true, 1),
        pick(2, 'Lost'),
        pick(3, 'Closed'),
      ],
    }),
    field('stage', 'integer', { isRequired: true, isPickList: true, picklistValues: [pick(13, 'Qualify')] }),
    field('probability', 'integer', { isRequired: true }),
    field('amount', 'double', { isRequired: true }),
    field('cost', 'double', { isRequired: true }),
    field('useQuoteTotals', 'boolean', { isRequired: true }),
    field('startDate', 'datetime', { isRequired: true }),
    field('projectedCloseDate', 'datetime', { isRequired: true }),
    field('promisedFulfillmentDate', 'datetime'),
    field('lastActivity', 'datetime', { isReadOnly: true }),
  ],
  udfs: [],
};
