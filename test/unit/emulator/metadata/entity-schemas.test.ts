import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { EntityName, FieldInformation } from '../../../../src/autotask/types.js';
import { ENTITY_NAMES } from '../../../../src/autotask/types.js';
import {
  createEntitySchemas,
  defaultUdfDefinitions,
  fieldMap,
  findField,
  findUdf,
  isApiOnlyResource,
} from '../../../../src/emulator/metadata/index.js';

/** Property → "type/format" of each OpenAPI model, extracted from Autotask's OpenAPI files. */
const models = JSON.parse(
  readFileSync(new URL('./fixtures/openapi-models.json', import.meta.url), 'utf8'),
) as Record<EntityName, Record<string, string>>;

function openApiProperties(entity: EntityName): Record<string, { type: string; format: string | undefined }> {
  const out: Record<string, { type: string; format: string | undefined }> = {};
  for (const [name, typeAndFormat] of Object.entries(models[entity])) {
    if (name === 'userDefinedFields' || name === 'soapParentPropertyId') continue; // §6.2: artefact, not emulated
    const [type = '', format] = typeAndFormat.split('/');
    out[name] = { type, format };
  }
  return out;
}

const schemas = createEntitySchemas(defaultUdfDefinitions());
const names = (entity: EntityName, pick: (f: FieldInformation) => boolean): string[] =>
  schemas[entity].fields
    .filter(pick)
    .map((f) => f.name)
    .sort();

describe('entity schemas: field lists', () => {
  it.each(ENTITY_NAMES)('%s has exactly the fields of its OpenAPI model, with matching types', (entity) => {
    const props = openApiProperties(entity);
    expect(schemas[entity].fields.map((f) => f.name).sort()).toEqual(Object.keys(props).sort());
    for (const field of schemas[entity].fields) {
      const p = props[field.name]!;
      const expected =
        p.type === 'string'
          ? p.format === 'date-time'
            ? ['datetime']
            : ['string']
          : p.type === 'boolean'
            ? ['boolean']
            : p.type === 'number'
              ? ['double', 'decimal']
              : p.format === 'int64'
                ? ['long']
                : ['integer', 'short'];
      expect(expected, `${entity}.${field.name}`).toContain(field.dataType);
      if (field.dataType === 'string') expect(field.length, field.name).toBeGreaterThan(0);
      else expect(field.length, field.name).toBe(0);
    }
  });

  it('keeps the documented string lengths', () => {
    const length = (e: EntityName, f: string): number | undefined => findField(schemas[e], f)?.length;
    expect(length('Companies', 'companyName')).toBe(100);
    expect(length('Companies', 'phone')).toBe(25);
    expect(length('Companies', 'address1')).toBe(150);
    expect(length('Companies', 'additionalAddressInformation')).toBe(100);
    expect(length('Contacts', 'emailAddress')).toBe(254);
    expect(length('Contacts', 'title')).toBe(50);
    expect(length('Opportunities', 'title')).toBe(128);
    expect(length('Resources', 'email')).toBe(254);
    expect(length('Resources', 'emailTypeCode')).toBe(20);
    expect(length('Resources', 'accountingReferenceID')).toBe(100);
    expect(length('Resources', 'gender')).toBe(1);
  });
});

describe('entity schemas: flags per the API doc (§6)', () => {
  it('marks exactly the documented required fields', () => {
    expect(names('Companies', (f) => f.isRequired)).toEqual(
      ['companyName', 'companyType', 'ownerResourceID', 'phone'].sort(),
    );
    expect(names('Contacts', (f) => f.isRequired)).toEqual([
      'companyID',
      'firstName',
      'isActive',
      'lastName',
    ]);
    expect(names('Opportunities', (f) => f.isRequired)).toEqual(
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
    expect(names('Resources', (f) => f.isRequired)).toEqual(
      [
        'firstName',
        'lastName',
        'email',
        'emailTypeCode',
        'userName',
        'isActive',
        'licenseType',
        'userType',
        'resourceType',
        'payrollType',
        'locationID',
        'hireDate',
        'numberFormat',
      ].sort(),
    );
  });

  it('marks ids, create/activity dates and creator ids read-only', () => {
    const ro = (e: EntityName): string[] => names(e, (f) => f.isReadOnly);
    expect(ro('Companies')).toEqual(
      expect.arrayContaining([
        'id',
        'createDate',
        'createdByResourceID',
        'impersonatorCreatorResourceID',
        'lastActivityDate',
        'lastTrackedModifiedDateTime',
      ]),
    );
    expect(ro('Contacts')).toEqual(
      expect.arrayContaining([
        'id',
        'createDate',
        'impersonatorCreatorResourceID',
        'lastActivityDate',
        'lastModifiedDate',
      ]),
    );
    expect(ro('Opportunities')).toEqual(
      expect.arrayContaining([
        'id',
        'createDate',
        'creatorResourceID',
        'impersonatorCreatorResourceID',
        'lastActivity',
      ]),
    );
    expect(ro('Resources')).toContain('id');
    for (const e of ENTITY_NAMES)
      for (const f of schemas[e].fields) if (f.isRequired) expect(f.isReadOnly).toBe(false);
  });

  it('marks exactly the documented fields not queryable', () => {
    expect(names('Companies', (f) => !f.isQueryable)).toEqual(
      ['assetValue', 'quoteTemplateID', 'sicCode', 'stockMarket', 'stockSymbol'].sort(),
    );
    expect(names('Contacts', (f) => !f.isQueryable)).toEqual([
      'isOptedOutFromBulkEmail',
      'solicitationOptOut',
      'surveyOptOut',
    ]);
    expect(names('Opportunities', (f) => !f.isQueryable)).toEqual([]);
    expect(names('Resources', (f) => !f.isQueryable)).toEqual(['defaultServiceDeskRoleID']);
  });

  it('types Contact isActive as integer and Company/Resource isActive as boolean', () => {
    expect(findField(schemas.Contacts, 'isActive')?.dataType).toBe('integer');
    expect(findField(schemas.Companies, 'isActive')?.dataType).toBe('boolean');
    expect(findField(schemas.Resources, 'isActive')?.dataType).toBe('boolean');
  });

  it('describes references with singular entity names', () => {
    const ref = (e: EntityName, f: string): [boolean, string] | undefined => {
      const field = findField(schemas[e], f);
      return field && [field.isReference, field.referenceEntityType];
    };
    expect(ref('Companies', 'ownerResourceID')).toEqual([true, 'Resource']);
    expect(ref('Companies', 'parentCompanyID')).toEqual([true, 'Company']);
    expect(ref('Contacts', 'companyID')).toEqual([true, 'Company']);
    expect(ref('Opportunities', 'contactID')).toEqual([true, 'Contact']);
    expect(ref('Opportunities', 'companyName')).toBeUndefined();
    for (const e of ENTITY_NAMES)
      for (const f of schemas[e].fields) {
        if (!f.isReference) expect(f.referenceEntityType).toBe('');
        else expect(f.referenceEntityType).toMatch(/^[A-Z][A-Za-z]+[^s]$/);
      }
  });
});

describe('entity schemas: picklists', () => {
  it('gives every picklist value as a string, with labels and an inactive value somewhere', () => {
    for (const e of ENTITY_NAMES)
      for (const f of schemas[e].fields) {
        if (!f.isPickList) {
          expect(f.picklistValues).toBeNull();
          continue;
        }
        expect(f.picklistValues!.length).toBeGreaterThan(0);
        f.picklistValues!.forEach((v, i) => {
          expect(typeof v.value).toBe('string');
          expect(v.label).not.toBe('');
          expect(v.sortOrder).toBe(i);
        });
        expect(f.picklistValues!.filter((v) => v.isDefaultValue).length).toBeLessThanOrEqual(1);
      }
  });

  it('seeds companyType and opportunity status as documented (§6.5)', () => {
    const values = (e: EntityName, f: string): [string, string, boolean][] =>
      findField(schemas[e], f)!.picklistValues!.map((v) => [v.value, v.label, v.isActive]);
    expect(values('Companies', 'companyType')).toEqual([
      ['1', 'Customer', true],
      ['2', 'Lead', true],
      ['3', 'Prospect', true],
      ['4', 'Dead', true],
      ['6', 'Cancelation', true],
      ['7', 'Vendor', true],
      ['8', 'Partner', true],
      ['5', 'Former Reseller', false],
    ]);
    expect(findField(schemas.Companies, 'companyType')!.dataType).toBe('short');
    expect(values('Opportunities', 'status').map(([v, l]) => `${v} ${l}`)).toEqual([
      '0 Not Ready To Buy',
      '1 Active',
      '2 Lost',
      '3 Closed',
      '4 Implemented',
    ]);
    expect(values('Opportunities', 'stage').map(([v]) => v)).toContain('29682772');
  });

  it('has the picklists a sync maps by label', () => {
    const picklists = (e: EntityName): string[] => names(e, (f) => f.isPickList);
    expect(picklists('Companies')).toEqual(
      expect.arrayContaining(['classification', 'territoryID', 'marketSegmentID', 'billToAddressToUse']),
    );
    expect(picklists('Contacts')).toEqual(['namePrefix', 'nameSuffix']);
    expect(picklists('Opportunities')).toEqual(
      expect.arrayContaining(['rating', 'leadSource', 'lossReason', 'winReason', 'stage', 'status']),
    );
    expect(picklists('Resources')).toEqual(
      expect.arrayContaining(['licenseType', 'userType', 'payrollType']),
    );
  });
});

describe('entityInformation', () => {
  it('states the capabilities of §3.2', () => {
    const info = (e: EntityName) => schemas[e].info;
    expect(info('Companies')).toMatchObject({
      name: 'Company',
      canCreate: true,
      canDelete: false,
      canUpdate: true,
      canQuery: true,
      userAccessForDelete: 0,
      hasUserDefinedFields: true,
      supportsWebhookCallouts: true,
    });
    expect(info('Contacts')).toMatchObject({
      name: 'Contact',
      canCreate: true,
      canUpdate: true,
      canDelete: true,
    });
    expect(info('Opportunities')).toMatchObject({
      name: 'Opportunity',
      canDelete: false,
      supportsWebhookCallouts: false,
    });
    expect(info('Resources')).toMatchObject({
      name: 'Resource',
      canCreate: false,
      canUpdate: true,
      canDelete: false,
      hasUserDefinedFields: false,
      userAccessForCreate: 0,
    });
    expect(schemas.Opportunities.fields.some((f) => f.isSupportedWebhookField)).toBe(false);
  });

  it('reports hasUserDefinedFields from the tenant’s definitions', () => {
    const bare = createEntitySchemas();
    expect(bare.Companies.info.hasUserDefinedFields).toBe(false);
    expect(createEntitySchemas({ Companies: [{}] }).Companies.info.hasUserDefinedFields).toBe(true);
  });

  it('returns fresh objects, so one tenant cannot change another’s metadata', () => {
    const a = createEntitySchemas();
    a.Companies.fields[0]!.name = 'changed';
    expect(createEntitySchemas().Companies.fields[0]!.name).toBe('id');
  });
});

describe('field lookup', () => {
  it('finds fields and UDFs in any case', () => {
    expect(findField(schemas.Companies, 'COMPANYNAME')?.name).toBe('companyName');
    expect(findField(schemas.Companies, 'Id')?.name).toBe('id');
    expect(findField(schemas.Companies, 'nope')).toBeUndefined();
    const udfs = defaultUdfDefinitions();
    expect(findUdf(udfs.Companies, 'crm id')?.name).toBe('CRM ID');
    expect(fieldMap(schemas.Contacts.fields).get('emailaddress')?.name).toBe('emailAddress');
  });
});

describe('UDF definitions', () => {
  it('defines string, number, picklist and date UDFs for every entity but Resources', () => {
    const udfs = defaultUdfDefinitions();
    expect(udfs.Resources).toEqual([]);
    for (const e of ['Companies', 'Contacts', 'Opportunities'] as const) {
      const kinds = udfs[e].map((u) => (u.isPickList ? 'picklist' : u.type));
      expect(kinds).toEqual(expect.arrayContaining(['string', 'date', 'picklist']));
      expect(kinds.some((k) => ['integer', 'decimal', 'double'].includes(k))).toBe(true);
      for (const u of udfs[e]) {
        expect(u.label).not.toBe('');
        for (const v of u.picklistValues ?? []) expect(typeof v.value).toBe('string');
      }
    }
  });
});

describe('isApiOnlyResource', () => {
  it('tells API-only users (licenseType 7) from licensed users', () => {
    expect(isApiOnlyResource({ licenseType: 7 })).toBe(true);
    expect(isApiOnlyResource({ licenseType: 1 })).toBe(false);
    expect(isApiOnlyResource({})).toBe(false);
  });
});
