import { describe, expect, it } from 'vitest';

import {
  compileMapping,
  lintMapping,
  mapRecord,
  mappingConfigError,
  type FieldMappingsSpec,
  type MappingFinding,
} from '../../../../src/sync/mapping/index.js';
import { companyMetadata, contactMetadata, opportunityMetadata } from '../../../helpers/metadata-fixtures.js';

const validCompany: FieldMappingsSpec = {
  companyName: 'Name',
  companyType: { column: 'Type', default: 'Prospect' },
  ownerResourceID: { column: 'Owner Email', ref: 'Resource', default: 29682885 },
  phone: { column: 'Phone', transform: ['trim'] },
};

function errors(findings: readonly MappingFinding[]): MappingFinding[] {
  return findings.filter((f) => f.severity === 'error');
}

function only(findings: readonly MappingFinding[], code: string): MappingFinding {
  const matching = findings.filter((f) => f.code === code);
  expect(matching, JSON.stringify(findings, null, 2)).toHaveLength(1);
  return matching[0]!;
}

describe('compileMapping', () => {
  it('compiles a valid company mapping, converting defaults and listing the columns read', () => {
    const result = compileMapping('Company', validCompany, companyMetadata, { path: 'syncs[0]' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const byTarget = new Map(result.mapping.fields.map((f) => [f.target, f]));
    expect(byTarget.get('companyType')?.default).toBe(3);
    expect(byTarget.get('ownerResourceID')?.default).toEqual({ entity: 'Resource', by: 'id', id: 29682885 });
    expect(byTarget.get('companyName')?.requiredOnCreate).toBe(true);
    expect(result.mapping.columns).toEqual(['Name', 'Type', 'Owner Email', 'Phone']);
    expect(errors(result.findings)).toEqual([]);
  });

  it('matches field and UDF names case-insensitively and uses Autotask spelling', () => {
    const result = compileMapping(
      'Company',
      { ...validCompany, WebAddress: 'Web', 'udf:customer ranking': 'Rank' },
      companyMetadata,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.mapping.fields.map((f) => f.target)).toContain('webAddress');
    expect(result.mapping.fields.map((f) => f.target)).toContain('udf:Customer Ranking');
  });

  it('reports the required field that can never be filled, with a picklist example default', () => {
    const { companyType: _omit, ...spec } = validCompany;
    const result = compileMapping('Company', spec, companyMetadata, { path: 'syncs[0]' });
    expect(result.ok).toBe(false);
    const f = only(result.findings, 'REQUIRED_UNSATISFIABLE');
    expect(f.path).toBe('syncs[0].fields.companyType');
    expect(`${f.message}: ${f.fix}`).toMatch(
      /^companyType is required by Autotask: map it or give a default, e\.g\. `default: Prospect` \(3\)/,
    );
    expect(f.fix).toContain('Customer (1)');
    expect(f.fix).not.toContain('Dead'); // inactive values are not offered
  });

  it.each<[string, FieldMappingsSpec, string, RegExp]>([
    [
      'a reference',
      { companyName: 'Name', companyType: { value: 1 }, phone: 'Phone' },
      'ownerResourceID',
      /ref: Resource/,
    ],
    [
      'a text field',
      { companyName: 'Name', companyType: { value: 1 }, ownerResourceID: 'Owner' },
      'phone',
      /phone: <column>/,
    ],
  ])('suggests how to fill %s', (_what, spec, field, fix) => {
    const f = only(lintMapping('Company', spec, companyMetadata), 'REQUIRED_UNSATISFIABLE');
    expect(f.message).toContain(field);
    expect(f.fix).toMatch(fix);
  });

  it("applies the product's rules on top of metadata: a contact needs an email", () => {
    const spec: FieldMappingsSpec = {
      companyID: { column: 'Company', ref: 'Company' },
      firstName: 'First',
      lastName: 'Last',
    };
    const findings = lintMapping('Contact', spec, contactMetadata);
    const f = findings.find((x) => x.code === 'REQUIRED_UNSATISFIABLE');
    expect(f?.message).toBe(
      'emailAddress is required by autotask-sync (the email address is the contact dedupe key)',
    );
    // isActive is required by Autotask but the product defaults it to 1, so it is not reported.
    expect(findings.filter((x) => x.message.includes('isActive'))).toEqual([]);
  });

  it('adds the implicit Contact isActive = 1 default when it is not mapped', () => {
    const result = compileMapping(
      'Contact',
      { companyID: { column: 'Company', ref: 'Company' }, firstName: 'F', lastName: 'L', emailAddress: 'E' },
      contactMetadata,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const isActive = result.mapping.fields.find((f) => f.target === 'isActive');
    expect(isActive).toMatchObject({ implicit: true, default: 1, source: { kind: 'none' } });
  });

  it('lists every required opportunity field that is missing, with example defaults', () => {
    const findings = lintMapping(
      'Opportunity',
      { title: 'Title', companyID: { column: 'Co', ref: 'Company' } },
      opportunityMetadata,
    );
    const missing = findings
      .filter((f) => f.code === 'REQUIRED_UNSATISFIABLE')
      .map((f) => f.message.split(' ')[0]);
    expect(missing.sort()).toEqual(
      [
        'amount',
        'cost',
        'ownerResourceID',
        'probability',
        'projectedCloseDate',
        'stage',
        'startDate',
        'status',
        'useQuoteTotals',
      ].sort(),
    );
    expect(findings.find((f) => f.message.startsWith('status'))?.fix).toContain('`default: Active` (1)');
    expect(findings.find((f) => f.message.startsWith('amount'))?.fix).toContain('`default: 0`');
    expect(findings.find((f) => f.message.startsWith('startDate'))?.fix).toContain('type: date');
  });

  it('does not require anything of an update-only sync, and warns that its defaults are unused', () => {
    const findings = lintMapping(
      'Company',
      { companyName: 'Name', phone: { column: 'Phone', default: 'n/a' } },
      companyMetadata,
      {
        mode: 'update',
      },
    );
    expect(errors(findings)).toEqual([]);
    expect(only(findings, 'DEFAULT_UNUSED').severity).toBe('warning');
  });

  it('suggests the closest field names for an unknown field', () => {
    const f = only(
      lintMapping('Company', { ...validCompany, compnyName: 'X' }, companyMetadata),
      'UNKNOWN_FIELD',
    );
    expect(f.path).toBe('fields.compnyName');
    expect(f.fix).toBe('Did you mean "companyName"?');
  });

  it('points a UDF written as a field to the udf: prefix, and the reverse', () => {
    const a = only(
      lintMapping('Company', { ...validCompany, Discount: 'D' }, companyMetadata),
      'UNKNOWN_FIELD',
    );
    expect(a.fix).toBe('"Discount" is a user-defined field: write `udf:Discount:`');
    const b = only(
      lintMapping('Company', { ...validCompany, 'udf:city': 'C' }, companyMetadata),
      'UNKNOWN_UDF',
    );
    expect(b.fix).toContain('write `city:` without "udf:"');
    expect(b.path).toBe('fields["udf:city"]');
  });

  it('suggests close UDF names for an unknown UDF', () => {
    const f = only(
      lintMapping('Company', { ...validCompany, 'udf:Customer Rank': 'R' }, companyMetadata),
      'UNKNOWN_UDF',
    );
    expect(f.fix).toContain('"udf:Customer Ranking"');
  });

  it('refuses read-only fields, id included', () => {
    const findings = lintMapping(
      'Company',
      { ...validCompany, createDate: 'Created', id: 'Id' },
      companyMetadata,
    );
    const readOnly = findings.filter((f) => f.code === 'READ_ONLY');
    expect(readOnly.map((f) => f.path).sort()).toEqual(['fields.createDate', 'fields.id']);
    expect(readOnly.find((f) => f.path === 'fields.id')?.fix).toContain('key:');
  });

  it('refuses writing Resources, citing the permission table', () => {
    const f = only(
      lintMapping('Resource', { email: 'Email' }, { fields: [], udfs: [] }, { path: 'syncs[2]' }),
      'OBJECT_READ_ONLY',
    );
    expect(f.path).toBe('syncs[2].object');
    expect(f.message).toContain('product.md §2');
  });

  it.each<[string, unknown, string, RegExp]>([
    [
      'an unknown picklist default',
      { column: 'Type', default: 'Gold' },
      'PICKLIST_UNKNOWN',
      /Customer \(1\), Lead \(2\), Prospect \(3\), Vendor \(7\)/,
    ],
    [
      'an inactive picklist default',
      { column: 'Type', default: 'Dead' },
      'PICKLIST_INACTIVE',
      /use an active value/,
    ],
    ['an inactive picklist constant', { value: 4 }, 'PICKLIST_INACTIVE', /Prospect \(3\)/],
  ])('refuses %s, listing the valid labels', (_what, mapping, code, fix) => {
    const spec = { ...validCompany, companyType: mapping } as FieldMappingsSpec;
    const f = only(lintMapping('Company', spec, companyMetadata), code);
    expect(f.path).toMatch(/^fields\.companyType\.(default|value)$/);
    expect(f.fix).toMatch(fix);
  });

  it('checks value-map outputs against the picklist when the map is the last step', () => {
    const spec: FieldMappingsSpec = {
      ...validCompany,
      companyType: {
        column: 'Tier',
        transform: [{ type: 'map', values: { gold: 'Customer', tin: 'Tin' }, otherwise: 'Lead' }],
      },
    };
    const f = only(lintMapping('Company', spec, companyMetadata), 'PICKLIST_UNKNOWN');
    expect(f.path).toBe('fields.companyType.transform[0].values.tin');
  });

  it('refuses a ref on a field that is not a reference, or to the wrong kind of record', () => {
    const a = only(
      lintMapping('Company', { ...validCompany, city: { column: 'City', ref: 'Company' } }, companyMetadata),
      'REF_NOT_REFERENCE',
    );
    expect(a.path).toBe('fields.city.ref');
    const b = only(
      lintMapping(
        'Company',
        { ...validCompany, ownerResourceID: { column: 'Owner', ref: 'Contact' } },
        companyMetadata,
      ),
      'REF_WRONG_ENTITY',
    );
    expect(b.fix).toBe('write `ref: Resource`');
  });

  it('refuses bad templates, transforms and defaults at their paths', () => {
    const spec: FieldMappingsSpec = {
      ...validCompany,
      webAddress: { template: 'https://{Domain' },
      city: { column: 'City', transform: ['trim', { type: 'date', format: 'DDMYYYY' }] },
      assetValue: { column: 'Value', default: 'lots' },
    };
    const findings = errors(lintMapping('Company', spec, companyMetadata));
    expect(findings.map((f) => [f.code, f.path])).toEqual([
      ['TEMPLATE_INVALID', 'fields.webAddress.template'],
      ['TRANSFORM_INVALID', 'fields.city.transform[1]'],
      ['NUMBER_INVALID', 'fields.assetValue.default'],
    ]);
  });

  it('refuses a field mapped twice under two spellings', () => {
    const f = only(
      lintMapping('Company', { ...validCompany, Phone: 'Phone 2' }, companyMetadata),
      'DUPLICATE_TARGET',
    );
    expect(f.message).toContain('phone');
  });

  it('requires the key fields to be mapped from the source', () => {
    const spec: FieldMappingsSpec = { ...validCompany, companyName: { default: 'Unnamed' } };
    const f = only(lintMapping('Company', spec, companyMetadata, { mode: 'update' }), 'KEY_FIELD_UNMAPPED');
    expect(f.message).toContain('companyName is part of the dedupe key');
  });

  it('checks configured key fields exist and are mapped', () => {
    const findings = lintMapping('Company', validCompany, companyMetadata, {
      key: ['webAddres', 'phone'],
      path: 'syncs[0]',
    });
    const unknown = only(findings, 'KEY_UNKNOWN_FIELD');
    expect(unknown.path).toBe('syncs[0].key[0]');
    expect(unknown.fix).toContain('"webAddress"');
    expect(findings.filter((f) => f.code === 'KEY_FIELD_UNMAPPED')).toEqual([]); // phone is mapped
    const unmapped = only(
      lintMapping('Company', validCompany, companyMetadata, { key: ['city'] }),
      'KEY_FIELD_UNMAPPED',
    );
    expect(unmapped.path).toBe('key');
  });

  it('requires an opportunity to map its company or contact for the key', () => {
    const spec: FieldMappingsSpec = {
      title: 'Title',
      ownerResourceID: { value: 5 },
      status: { value: 'Active' },
      stage: { value: 13 },
      probability: { value: 50 },
      amount: { value: 0 },
      cost: { value: 0 },
      useQuoteTotals: { value: true },
      startDate: 'Start',
      projectedCloseDate: 'Close',
      companyID: { default: 174 },
    };
    const findings = errors(lintMapping('Opportunity', spec, opportunityMetadata, { mode: 'upsert' }));
    expect(findings.map((f) => f.code)).toEqual(['KEY_FIELD_UNMAPPED']);
    expect(findings[0]?.message).toContain('companyID or contactID');
  });

  it('warns when a reference field is mapped without ref, and the record issue then says how to fix it', () => {
    const spec: FieldMappingsSpec = { ...validCompany, ownerResourceID: { column: 'Owner', default: 5 } };
    const result = compileMapping('Company', spec, companyMetadata);
    const f = only(result.findings, 'REFERENCE_WITHOUT_REF');
    expect(f.severity).toBe('warning');
    expect(f.fix).toBe('add `ref: Resource` to accept ids and email addresses');
    if (!result.ok) throw new Error('warnings must not stop compiling');
    const issue = mapRecord(result.mapping, { Owner: 'sam@example.com' }).issues[0];
    expect(issue?.code).toBe('INTEGER_INVALID');
    expect(issue?.fix).toContain('add `ref: Resource`');
  });

  it('warns when a time zone cannot shift a date-only field', () => {
    const findings = lintMapping(
      'Opportunity',
      {
        projectedCloseDate: {
          column: 'Close',
          transform: [{ type: 'date', format: 'DD/MM/YYYY', timeZone: 'Europe/Paris' }],
        },
      },
      opportunityMetadata,
      { mode: 'update' },
    );
    expect(only(findings, 'TIMEZONE_NOT_APPLIED').severity).toBe('warning');
  });

  it('builds a ConfigError whose issues carry the paths and fixes', () => {
    const { companyType: _omit, ...spec } = validCompany;
    const result = compileMapping('Company', spec, companyMetadata, { path: 'syncs[0]' });
    const err = mappingConfigError(result.findings);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.issues[0]).toEqual({
      path: 'syncs[0].fields.companyType',
      message: expect.stringContaining('companyType is required by Autotask: map it or give a default'),
    });
    expect(err.message).toContain('syncs[0].fields.companyType');
  });
});
