import { describe, expect, it } from 'vitest';

import type { EntityRecord } from '../../../../src/autotask/types.js';
import {
  DEFAULT_KEYS,
  keyDefinition,
  keyValuesOfAutotaskRecord,
  keyValuesOfMappedRecord,
  normaliseKeyValue,
  recordKey,
} from '../../../../src/sync/keys/index.js';
import { compileMapping, mapRecord } from '../../../../src/sync/mapping/index.js';
import { companyMetadata, opportunityMetadata } from '../../../helpers/metadata-fixtures.js';

function key(result: ReturnType<typeof recordKey>): string {
  if (!result.ok) throw new Error(result.reason);
  return result.key;
}

describe('default keys', () => {
  it('a company row and the Autotask company meet on the normalised name', () => {
    const compiled = compileMapping('Company', { companyName: 'Name' }, companyMetadata, { mode: 'update' });
    if (!compiled.ok) throw new Error('did not compile');
    const mapped = mapRecord(compiled.mapping, { Name: 'Smith & Doe, Inc.' });
    const record: EntityRecord = { id: 7, companyName: 'SMITH & DOE INC', companyType: 1 };
    const source = key(recordKey(DEFAULT_KEYS.Company, keyValuesOfMappedRecord(mapped)));
    expect(source).toBe('smith doe inc');
    expect(key(recordKey(DEFAULT_KEYS.Company, keyValuesOfAutotaskRecord(record)))).toBe(source);
  });

  it('contacts and resources are keyed by email, case-insensitively', () => {
    expect(key(recordKey(DEFAULT_KEYS.Contact, { emailAddress: ' Ada@Example.com' }))).toBe(
      'ada@example.com',
    );
    expect(key(recordKey(DEFAULT_KEYS.Resource, { email: 'OWNER@example.com' }))).toBe('owner@example.com');
    expect(DEFAULT_KEYS.Contact.kind).toBe('email');
  });

  it('an opportunity is keyed by title, close date and company and/or contact, on both sides', () => {
    const compiled = compileMapping(
      'Opportunity',
      {
        title: 'Title',
        projectedCloseDate: {
          column: 'Close',
          transform: [{ type: 'date', format: 'DD/MM/YYYY', timeZone: 'Pacific/Auckland' }],
        },
        companyID: { column: 'Company', ref: 'Company' },
      },
      opportunityMetadata,
      { mode: 'update' },
    );
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.findings));
    const mapped = mapRecord(compiled.mapping, {
      Title: 'Managed services — renewal!',
      Close: '15/11/2026',
      Company: 'Acme',
    });
    const source = key(
      recordKey(DEFAULT_KEYS.Opportunity, keyValuesOfMappedRecord(mapped, { companyID: 174 })),
    );
    expect(source).toBe('["managed services renewal","2026-11-15","174",""]');
    const autotask: EntityRecord = {
      id: 99,
      title: 'MANAGED SERVICES RENEWAL',
      projectedCloseDate: '2026-11-15T00:00:00Z',
      companyID: 174,
      contactID: null,
    };
    expect(key(recordKey(DEFAULT_KEYS.Opportunity, keyValuesOfAutotaskRecord(autotask)))).toBe(source);
    // A record of another company, or closing another day, is another opportunity.
    expect(key(recordKey(DEFAULT_KEYS.Opportunity, { ...autotask, companyID: 175 }))).not.toBe(source);
    expect(
      key(recordKey(DEFAULT_KEYS.Opportunity, { ...autotask, projectedCloseDate: '2026-11-16T00:00:00' })),
    ).not.toBe(source);
  });

  it('refuses an opportunity with neither company nor contact, and says which key fields are empty', () => {
    const r = recordKey(DEFAULT_KEYS.Opportunity, { title: 'X', projectedCloseDate: '2026-01-01T00:00:00Z' });
    expect(r).toEqual({
      ok: false,
      missing: ['companyID', 'contactID'],
      reason: 'the key needs at least one of companyID or contactID',
    });
    const r2 = recordKey(DEFAULT_KEYS.Opportunity, {
      title: '  ',
      companyID: 1,
      projectedCloseDate: 'not a date',
    });
    expect(r2).toMatchObject({ ok: false, missing: ['title', 'projectedCloseDate'] });
    expect(recordKey(DEFAULT_KEYS.Company, { companyName: '&&' })).toMatchObject({
      ok: false,
      missing: ['companyName'],
    });
  });

  it('uses defaults in the source key (a created record would carry them), the value winning over the default', () => {
    const values = keyValuesOfMappedRecord({
      fields: { companyName: 'Mapped' },
      udfs: {},
      defaults: { fields: { companyName: 'Default', phone: '1' }, udfs: {} },
    });
    expect(values).toMatchObject({ companyName: 'Mapped', phone: '1' });
  });
});

describe('configured keys', () => {
  it('chooses normalisers from the fields and names the kind after them', () => {
    const def = keyDefinition(
      'Company',
      ['companyName', 'phone', 'parentCompanyID', 'createDate'],
      companyMetadata.fields,
    );
    expect(def.kind).toBe('fields:companyName,phone,parentCompanyID,createDate');
    expect(def.parts.map((p) => p.normaliser)).toEqual(['name', 'text', 'id', 'date']);
    expect(keyDefinition('Contact', [])).toBe(DEFAULT_KEYS.Contact);
  });

  it('reads UDFs on both sides, case-insensitively', () => {
    const def = keyDefinition('Company', ['udf:CRM ID']);
    const autotask: EntityRecord = { id: 1, userDefinedFields: [{ name: 'CRM ID', value: ' EB25-C34C ' }] };
    const source = keyValuesOfMappedRecord({ fields: {}, udfs: { 'crm id': 'eb25-c34c' } });
    expect(key(recordKey(def, keyValuesOfAutotaskRecord(autotask)))).toBe('eb25-c34c');
    expect(key(recordKey(def, source))).toBe('eb25-c34c');
  });
});

describe('normaliseKeyValue', () => {
  it.each<[Parameters<typeof normaliseKeyValue>[0], unknown, string | undefined]>([
    ['id', 174, '174'],
    ['id', ' 174 ', '174'],
    ['id', '17.4', undefined],
    ['id', 'Acme', undefined],
    ['date', '2026-11-15T23:30:00-05:00', '2026-11-16'], // datetimes compare by their UTC date
    ['date', new Date('2026-11-15T10:00:00Z'), '2026-11-15'],
    ['date', '15/11/2026', undefined],
    ['email', null, undefined],
    ['text', '   ', undefined],
  ])('%s(%j) → %j', (normaliser, value, expected) => {
    expect(normaliseKeyValue(normaliser, value)).toBe(expected);
  });
});
