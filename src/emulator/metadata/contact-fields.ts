/**
 * Contacts (`ContactModel`, API doc §6.2): every field except the swagger's `soapParentPropertyId`
 * serialisation artefact. `isActive` is an integer (1/0), not a boolean.
 */
import type { FieldInformation } from '../../autotask/types.js';
import {
  booleanField,
  dateTimeField,
  numberField,
  picklistField,
  referenceField,
  stringField,
} from './field-builders.js';
import { namePrefixPicklist, nameSuffixPicklist } from './picklists.js';

export function contactFields(): FieldInformation[] {
  return [
    numberField('id', 'long', { readOnly: true }),
    stringField('additionalAddressInformation', 100),
    stringField('addressLine', 128),
    stringField('addressLine1', 128),
    stringField('alternatePhone', 32),
    numberField('apiVendorID', 'integer', { readOnly: true }),
    dateTimeField('bulkEmailOptOutTime', { readOnly: true }),
    stringField('city', 32),
    referenceField('companyID', 'Company', { required: true }),
    referenceField('companyLocationID', 'CompanyLocation'),
    referenceField('countryID', 'Country'),
    dateTimeField('createDate', { readOnly: true }),
    stringField('emailAddress', 254),
    stringField('emailAddress2', 254),
    stringField('emailAddress3', 254),
    stringField('extension', 10),
    stringField('externalID', 50),
    stringField('facebookUrl', 200),
    stringField('faxNumber', 25),
    stringField('firstName', 50, { required: true }),
    referenceField('impersonatorCreatorResourceID', 'Resource', { readOnly: true }),
    numberField('isActive', 'integer', { required: true }),
    booleanField('isOptedOutFromBulkEmail', { queryable: false }),
    dateTimeField('lastActivityDate', { readOnly: true }),
    dateTimeField('lastModifiedDate', { readOnly: true }),
    stringField('lastName', 50, { required: true }),
    stringField('linkedInUrl', 200),
    stringField('middleInitial', 2),
    stringField('mobilePhone', 25),
    picklistField('namePrefix', namePrefixPicklist()),
    picklistField('nameSuffix', nameSuffixPicklist()),
    stringField('note', 750),
    booleanField('receivesEmailNotifications'),
    stringField('phone', 25),
    booleanField('primaryContact'),
    booleanField('billingContact'),
    stringField('roomNumber', 50),
    booleanField('solicitationOptOut', { queryable: false }),
    dateTimeField('solicitationOptOutTime', { readOnly: true }),
    stringField('state', 40),
    booleanField('surveyOptOut', { queryable: false }),
    stringField('title', 50),
    stringField('twitterUrl', 200),
    stringField('zipCode', 16),
  ];
}
