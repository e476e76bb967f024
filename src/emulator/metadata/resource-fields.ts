/**
 * Resources (`ResourceModel`, API doc §6.4): every field. Resources are queried and updated only; the
 * "required" flags are what the metadata reports (they matter for PUT). No webhooks are emulated for
 * Resources (the webhook page lists only five entities, §14 item 14).
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
  greetingPicklist,
  licenseTypePicklist,
  payrollTypePicklist,
  resourceSuffixPicklist,
  userTypePicklist,
} from './picklists.js';

export function resourceFields(): FieldInformation[] {
  const o: FieldFlags = { webhook: false };
  const req: FieldFlags = { webhook: false, required: true };
  return [
    numberField('id', 'long', { webhook: false, readOnly: true }),
    stringField('accountingReferenceID', 100, o),
    stringField('dateFormat', 20, o),
    referenceField('defaultServiceDeskRoleID', 'Role', {
      webhook: false,
      queryable: false,
      dataType: 'long',
    }),
    stringField('email', 254, req),
    stringField('email2', 254, o),
    stringField('email3', 254, o),
    stringField('emailTypeCode', 20, req),
    stringField('emailTypeCode2', 20, o),
    stringField('emailTypeCode3', 20, o),
    stringField('firstName', 50, req),
    stringField('gender', 1, o),
    picklistField('greeting', greetingPicklist(), o),
    dateTimeField('hireDate', req),
    stringField('homePhone', 25, o),
    stringField('initials', 3, o),
    numberField('internalCost', 'double', o),
    booleanField('isActive', req),
    stringField('lastName', 50, req),
    picklistField('licenseType', licenseTypePicklist(), req),
    referenceField('locationID', 'InternalLocation', req),
    stringField('middleName', 50, o),
    stringField('mobilePhone', 25, o),
    stringField('numberFormat', 20, req),
    stringField('officeExtension', 10, o),
    stringField('officePhone', 25, o),
    stringField('payrollIdentifier', 32, o),
    picklistField('payrollType', payrollTypePicklist(), req),
    stringField('resourceType', 15, req),
    picklistField('suffix', resourceSuffixPicklist(), o),
    numberField('surveyResourceRating', 'double', { webhook: false, readOnly: true }),
    stringField('timeFormat', 20, o),
    stringField('title', 50, o),
    stringField('travelAvailabilityPct', 15, o),
    stringField('userName', 50, req),
    picklistField('userType', userTypePicklist(), req),
  ];
}
