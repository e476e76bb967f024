import { describe, expect, it } from 'vitest';

import {
  compileMapping,
  mapRecord,
  type CompiledMapping,
  type EntityMetadata,
  type FieldMappingsSpec,
  type MappedRecord,
} from '../../../../src/sync/mapping/index.js';
import type { ExportableObject } from '../../../../src/config/objects.js';
import { companyMetadata, contactMetadata, opportunityMetadata } from '../../../helpers/metadata-fixtures.js';

function compile(
  object: ExportableObject,
  spec: FieldMappingsSpec,
  metadata: EntityMetadata,
): CompiledMapping {
  const result = compileMapping(object, spec, metadata, { mode: 'update' });
  if (!result.ok) throw new Error(JSON.stringify(result.findings, null, 2));
  return result.mapping;
}

const company = compile(
  'Company',
  {
    companyName: { column: 'Name', transform: ['trim', 'collapse-spaces'] },
    companyType: { column: 'Type', default: 'Prospect' },
    ownerResourceID: { column: 'Owner', ref: 'Resource', default: 29682885 },
    phone: 'Phone',
    city: { column: 'City', transform: ['title'] },
    webAddress: { template: 'https://{Domain}/' },
    isActive: { column: 'Active', transform: ['boolean'] },
    assetValue: { column: 'Value', transform: [{ type: 'number', decimal: ',' }] },
    parentCompanyID: { column: 'Parent', ref: 'Company', direction: 'autotask' },
    'udf:Customer Ranking': { column: 'Rank', transform: ['upper', 'truncate'] },
    'udf:Discount': 'Discount',
    'udf:Lead Source': 'Source',
    'udf:Renewal': { column: 'Renewal', transform: [{ type: 'date', format: 'DD/MM/YYYY' }] },
  },
  companyMetadata,
);

const fullRow = {
  Name: '  Smith  &  Doe, Inc. ',
  Type: 'customer',
  Owner: 'Owner@Example.com',
  Phone: '+44 20 7946 0000',
  City: 'lONDON',
  Domain: 'smithdoe.example',
  Active: 'Yes',
  Value: '1.234,50',
  Parent: 'Smith Holdings',
  Rank: 'a very long ranking label here',
  Discount: '12.5',
  Source: 'Referral',
  Renewal: '01/06/2027',
};

describe('mapRecord', () => {
  it('maps a full row to wire values, UDF strings and reference requests', () => {
    const m = mapRecord(company, fullRow);
    expect(m.issues).toEqual([]);
    expect(m.createIssues).toEqual([]);
    expect(m.fields).toEqual({
      companyName: 'Smith & Doe, Inc.',
      companyType: 1,
      phone: '+44 20 7946 0000',
      city: 'London',
      webAddress: 'https://smithdoe.example/',
      isActive: true,
      assetValue: 1234.5,
    });
    expect(m.udfs).toEqual({
      'Customer Ranking': 'A VERY LONG RANKING', // truncated to the UDF's 20 characters, then trimmed
      Discount: '12.5',
      'Lead Source': '2',
      Renewal: '2027-06-01T00:00:00Z',
    });
    expect(m.refs).toEqual({
      ownerResourceID: { entity: 'Resource', by: 'email', email: 'owner@example.com' },
      parentCompanyID: { entity: 'Company', by: 'name', name: 'Smith Holdings' },
    });
    expect(m.defaults).toEqual({ fields: {}, udfs: {}, refs: {} });
    expect(company.autotaskOwned).toEqual(new Set(['parentCompanyID']));
  });

  it('sends text without the spaces around it (spreadsheet debris), keeping those inside', () => {
    const plain = compile('Company', { companyName: 'Name', phone: 'Phone', city: 'City' }, companyMetadata);
    const m = mapRecord(plain, {
      Name: 'Cascade Logistics, Inc \t',
      Phone: ' +1 503 555 0177',
      City: 'St.  Paul',
    });
    expect(m.issues).toEqual([]);
    expect(m.fields).toEqual({
      companyName: 'Cascade Logistics, Inc',
      phone: '+1 503 555 0177',
      city: 'St.  Paul',
    });
  });

  it('leaves empty values out and offers defaults for create only', () => {
    const m = mapRecord(company, { Name: 'Acme', Type: '', Owner: '  ', Phone: '1' });
    expect(m.issues).toEqual([]);
    expect(m.fields).toEqual({ companyName: 'Acme', phone: '1' });
    expect(m.refs).toEqual({});
    expect(m.defaults).toEqual({
      fields: { companyType: 3 },
      udfs: {},
      refs: { ownerResourceID: { entity: 'Resource', by: 'id', id: 29682885 } },
    });
  });

  it('reports an empty required field without a default as a create-only issue', () => {
    const m = mapRecord(company, { Name: '', Phone: '1' });
    expect(m.issues).toEqual([]);
    expect(m.createIssues.map((i) => [i.code, i.target, i.column])).toEqual([
      ['REQUIRED_EMPTY', 'companyName', 'Name'],
    ]);
    expect(m.createIssues[0]?.message).toBe(
      'companyName is required to create the record, but column "Name" is empty and there is no default',
    );
  });

  it.each<[string, Record<string, unknown>, string, string, RegExp]>([
    [
      'an unknown picklist label',
      { Type: 'Gold' },
      'companyType',
      'PICKLIST_UNKNOWN',
      /Customer \(1\), Lead \(2\)/,
    ],
    ['an inactive picklist value', { Type: 'Dead' }, 'companyType', 'PICKLIST_INACTIVE', /Prospect \(3\)/],
    [
      'an inactive UDF picklist label',
      { Source: 'directory listing' },
      'udf:Lead Source',
      'PICKLIST_INACTIVE',
      /Website \(1\)/,
    ],
    ['text too long', { Phone: '0'.repeat(26) }, 'phone', 'TOO_LONG', /truncate/],
    ['a bad number', { Value: '12.5' }, 'assetValue', 'NUMBER_INVALID', /decimal comma/],
    ['a bad boolean', { Active: 'perhaps' }, 'isActive', 'BOOLEAN_INVALID', /true/],
    ['a bad date', { Renewal: '2027-06-01' }, 'udf:Renewal', 'DATE_INVALID', /DD\/MM\/YYYY/],
    ['a bad owner reference', { Owner: 'Jane Doe' }, 'ownerResourceID', 'REF_UNSUPPORTED', /id or by email/],
    ['a bad owner email', { Owner: 'jane@@example' }, 'ownerResourceID', 'REF_EMAIL_INVALID', /valid email/],
  ])('reports %s as a record issue naming field, column and value', (_what, row, target, code, fix) => {
    const m = mapRecord(company, { Name: 'Acme', Phone: '1', ...row });
    expect(m.issues).toHaveLength(1);
    const issue = m.issues[0]!;
    expect(issue).toMatchObject({ code, target });
    const [column, value] = Object.entries(row)[0]!;
    expect(issue.column).toBe(column);
    expect(issue.value).toBe(String(value));
    expect(issue.message).toContain(`${target} (column "${column}")`);
    expect(issue.fix).toMatch(fix);
    expect(m.fields['companyName']).toBe('Acme'); // the rest of the record is still mapped
  });

  it('names the field once when the message starts with it', () => {
    const amounts = compile('Company', { companyName: 'Name', assetValue: 'Value' }, companyMetadata);
    const m = mapRecord(amounts, { Name: 'Acme', Value: '12.500,00' });
    expect(m.issues[0]?.message).toBe('assetValue (column "Value") takes a number; got "12.500,00"');
  });

  it('shortens long values in issues', () => {
    const m = mapRecord(company, { Name: 'Acme', Phone: 'x'.repeat(500) });
    expect(m.issues[0]?.value).toHaveLength(60);
    expect(m.issues[0]?.message.length).toBeLessThan(300);
  });

  it('accepts picklists by value, by label in any case, and numbers from SQL sources', () => {
    for (const Type of ['3', 'PROSPECT', ' prospect ', 3]) {
      expect(mapRecord(company, { Type }).fields['companyType']).toBe(3);
    }
  });

  it('sends null only when asked to clear: empty-to-null, value: null, or a map to null', () => {
    const m = compile(
      'Company',
      {
        companyName: 'Name',
        city: { column: 'City', transform: ['trim', 'empty-to-null'] },
        webAddress: { value: null },
        phone: { column: 'Phone', transform: [{ type: 'map', values: { none: null }, keepUnmatched: true }] },
        parentCompanyID: { column: 'Parent', ref: 'Company', transform: ['empty-to-null'] },
        'udf:Discount': { column: 'Discount', transform: ['empty-to-null'] },
      },
      companyMetadata,
    );
    const r = mapRecord(m, { Name: 'Acme', City: '  ', Phone: 'None', Parent: '', Discount: null });
    expect(r.fields).toEqual({ companyName: 'Acme', city: null, webAddress: null, phone: null });
    expect(r.refs).toEqual({ parentCompanyID: null });
    expect(r.udfs).toEqual({ Discount: null });
  });

  it('treats SQL nulls and missing columns as empty, not as a clear', () => {
    const r = mapRecord(company, { Name: 'Acme', Phone: null });
    expect(r.fields).toEqual({ companyName: 'Acme' });
  });

  it('renders templates, leaving the field empty when every column is empty', () => {
    const m = compile(
      'Contact',
      { emailAddress: 'E', title: { template: '{Role} at {Dept}' } },
      contactMetadata,
    );
    expect(mapRecord(m, { Role: 'Head', Dept: 'Sales' }).fields['title']).toBe('Head at Sales');
    expect(mapRecord(m, { Role: 'Head', Dept: '' }).fields['title']).toBe('Head at');
    expect(mapRecord(m, { Role: '', Dept: null }).fields).not.toHaveProperty('title');
  });

  it('checks email syntax on email fields and trims addresses', () => {
    const m = compile('Contact', { emailAddress: 'Email', emailAddress2: 'Email2' }, contactMetadata);
    expect(mapRecord(m, { Email: ' ada@example.com ' }).fields['emailAddress']).toBe('ada@example.com');
    const bad = mapRecord(m, { Email: 'ada.example.com', Email2: 'ada@ex ample.com' });
    expect(bad.issues.map((i) => [i.code, i.target])).toEqual([
      ['EMAIL_INVALID', 'emailAddress'],
      ['EMAIL_INVALID', 'emailAddress2'],
    ]);
    // The field is named once, with its source ("… for emailAddress" repeated it).
    expect(bad.issues[0]?.message).toBe(
      'emailAddress (column "Email"): "ada.example.com" is not a valid email address',
    );
  });

  it('names a reference field once when its email is not valid', () => {
    const m = compile(
      'Company',
      { companyName: 'Name', ownerResourceID: { column: 'Owner', ref: 'Resource' } },
      companyMetadata,
    );
    const [issue] = mapRecord(m, { Name: 'Acme', Owner: 'jane@@example' }).issues;
    expect(issue?.message).toBe(
      'ownerResourceID (column "Owner"): "jane@@example" is not a valid email address',
    );
    expect(issue?.fix).toMatch(/resource's Autotask id or a valid email address/);
  });

  it('applies the implicit contact isActive default on create', () => {
    const result = compileMapping(
      'Contact',
      { companyID: { column: 'Company', ref: 'Company' }, firstName: 'F', lastName: 'L', emailAddress: 'E' },
      contactMetadata,
    );
    if (!result.ok) throw new Error('did not compile');
    const r: MappedRecord = mapRecord(result.mapping, {
      Company: '174',
      F: 'Ada',
      L: 'Lovelace',
      E: 'ada@example.com',
    });
    expect(r.defaults.fields).toEqual({ isActive: 1 });
    expect(r.refs).toEqual({ companyID: { entity: 'Company', by: 'id', id: 174 } });
    expect(r.fields).toEqual({ firstName: 'Ada', lastName: 'Lovelace', emailAddress: 'ada@example.com' });
  });

  it('converts wire types: integers in range, booleans into integer fields, dates to Autotask UTC', () => {
    const m = compile(
      'Opportunity',
      {
        title: 'Title',
        probability: 'P',
        amount: 'Amount',
        useQuoteTotals: 'Quote',
        startDate: 'Start',
        projectedCloseDate: {
          column: 'Close',
          transform: [{ type: 'date', format: 'MM/DD/YYYY HH:mm', timeZone: 'Asia/Tokyo' }],
        },
        promisedFulfillmentDate: {
          column: 'Promised',
          transform: [{ type: 'date', format: 'MM/DD/YYYY HH:mm', timeZone: 'Asia/Tokyo' }],
        },
        companyID: { column: 'Co', ref: 'Company' },
      },
      opportunityMetadata,
    );
    const r = mapRecord(m, {
      Title: 'Renewal',
      P: '50',
      Amount: 1200.5,
      Quote: 'false',
      Start: '2026-10-08T22:30:00-05:00',
      Close: '11/15/2026 08:00',
      Promised: '11/15/2026 08:00',
      Co: 'Acme, Inc.',
    });
    expect(r.issues).toEqual([]);
    expect(r.fields).toEqual({
      title: 'Renewal',
      probability: 50,
      amount: 1200.5,
      useQuoteTotals: false,
      startDate: '2026-10-08T00:00:00Z', // date-only: the calendar date as written, not shifted to the 9th
      projectedCloseDate: '2026-11-15T00:00:00Z', // date-only: not shifted to the 14th in UTC
      promisedFulfillmentDate: '2026-11-14T23:00:00Z', // a real datetime: converted from Tokyo to UTC
    });
    const tooBig = mapRecord(m, { P: '3000000000', Amount: 'ten', Start: 'soon' });
    expect(tooBig.issues.map((i) => i.code)).toEqual([
      'INTEGER_OUT_OF_RANGE',
      'NUMBER_INVALID',
      'DATE_INVALID',
    ]);
  });

  it('is deterministic and does not mutate the row', () => {
    const row = Object.freeze({ ...fullRow });
    expect(mapRecord(company, row)).toEqual(mapRecord(company, row));
  });
});

describe('dependent picklists', () => {
  const metadata: EntityMetadata = {
    fields: [
      ...companyMetadata.fields,
      {
        ...companyMetadata.fields.find((f) => f.name === 'companyType')!,
        name: 'classification',
        isRequired: false,
        picklistParentValueField: 'companyType',
        picklistValues: [
          {
            value: '10',
            label: 'Gold',
            isDefaultValue: false,
            sortOrder: 0,
            parentValue: '1',
            isActive: true,
            isSystem: false,
          },
          {
            value: '11',
            label: 'Hot lead',
            isDefaultValue: false,
            sortOrder: 1,
            parentValue: '3',
            isActive: true,
            isSystem: false,
          },
          {
            value: '12',
            label: 'Any',
            isDefaultValue: false,
            sortOrder: 2,
            parentValue: '',
            isActive: true,
            isSystem: false,
          },
        ],
      },
    ],
    udfs: [],
  };
  const m = compile(
    'Company',
    { companyName: 'Name', companyType: { column: 'Type', default: 'Prospect' }, classification: 'Class' },
    metadata,
  );

  it('accepts a child value of the record parent value, or one that belongs to any parent', () => {
    expect(mapRecord(m, { Name: 'A', Type: 'Customer', Class: 'Gold' }).issues).toEqual([]);
    expect(mapRecord(m, { Name: 'A', Type: 'Customer', Class: 'Any' }).issues).toEqual([]);
    expect(mapRecord(m, { Name: 'A', Type: '', Class: 'Hot lead' }).issues).toEqual([]); // checked against the default
  });

  it('refuses a child value of another parent, listing the allowed ones', () => {
    const r = mapRecord(m, { Name: 'A', Type: 'Customer', Class: 'Hot lead' });
    expect(r.issues.map((i) => i.code)).toEqual(['PICKLIST_PARENT_MISMATCH']);
    expect(r.issues[0]?.fix).toBe('use a classification of companyType 1: Gold (10), Any (12)');
    const viaDefault = mapRecord(m, { Name: 'A', Type: '', Class: 'Gold' });
    expect(viaDefault.issues.map((i) => i.code)).toEqual(['PICKLIST_PARENT_MISMATCH']);
  });
});
