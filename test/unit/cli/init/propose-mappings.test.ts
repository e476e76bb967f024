import { describe, expect, it } from 'vitest';

import { guessDateFormat } from '../../../../src/cli/init/guess-date-format.js';
import { usesDecimalComma } from '../../../../src/cli/init/guess-number-format.js';
import { proposeMappings } from '../../../../src/cli/init/propose-mappings.js';
import { renderConfig, yamlScalar } from '../../../../src/cli/init/render-config.js';
import { parseConfig } from '../../../../src/config/load-config.js';
import { createEntitySchema } from '../../../../src/emulator/metadata/entity-schemas.js';
import type { UserDefinedFieldInformation } from '../../../../src/autotask/types.js';
import { udf as udfInformation } from '../../../helpers/metadata-fixtures.js';

const meta = (
  entity: 'Companies' | 'Contacts' | 'Opportunities',
  udfs: UserDefinedFieldInformation[] = [],
) => ({
  fields: createEntitySchema(entity).fields,
  udfs,
});

const udf = (name: string): UserDefinedFieldInformation => udfInformation(name, 'string', { length: 100 });

describe('proposeMappings', () => {
  it('maps contact columns by synonym and same name, with refs, email transform and Active default', () => {
    const p = proposeMappings(
      'Contact',
      ['Company Name', 'First Name', 'Surname', 'E-mail', 'Job Title', 'Shoe size'],
      meta('Contacts'),
    );
    expect(p.mappings.map((m) => [m.column, m.field])).toEqual([
      ['Company Name', 'companyID'],
      ['First Name', 'firstName'],
      ['Surname', 'lastName'],
      ['E-mail', 'emailAddress'],
      ['Job Title', 'title'],
    ]);
    expect(p.mappings.find((m) => m.field === 'companyID')?.ref).toBe('Company');
    expect(p.mappings.find((m) => m.field === 'emailAddress')?.transform).toEqual(['trim', 'lower']);
    expect(p.defaults).toEqual([expect.objectContaining({ field: 'isActive', value: 1 })]);
    expect(p.missing).toEqual([]);
    expect(p.unmatched).toEqual(['Shoe size']);
  });

  it('fills the company type default and lists required fields no column feeds', () => {
    const p = proposeMappings('Company', ['Company Name', 'Telephone'], meta('Companies'));
    expect(p.mappings.map((m) => m.field)).toEqual(['companyName', 'phone']);
    expect(p.defaults.map((d) => [d.field, d.value])).toEqual([['companyType', 'Prospect']]);
    expect(p.missing.map((m) => m.field)).toEqual(['ownerResourceID']);
    expect(p.missing[0]?.ref).toBe('Resource');
  });

  it('maps UDFs by name and uses each field once', () => {
    const p = proposeMappings('Company', ['Name', 'Company', 'CRM ID'], meta('Companies', [udf('CRM ID')]));
    expect(p.mappings.map((m) => [m.column, m.field])).toEqual([
      ['Name', 'companyName'],
      ['CRM ID', 'udf:CRM ID'],
    ]);
    expect(p.unmatched).toEqual(['Company']);
  });

  it('guesses misspelt names as similar, flagged for checking', () => {
    const p = proposeMappings('Company', ['Compnay Name', 'Postal Cod'], meta('Companies'));
    expect(p.mappings.map((m) => [m.field, m.match])).toEqual([
      ['companyName', 'similar'],
      ['postalCode', 'similar'],
    ]);
  });
});

describe('renderConfig', () => {
  it('writes YAML that the configuration loader accepts, with REQUIRED markers', () => {
    const proposal = proposeMappings(
      'Opportunity',
      ['Deal', 'Company', 'Owner', 'Stage', 'Expected Close', 'Start'],
      meta('Opportunities'),
    );
    const text = renderConfig(
      [
        {
          name: 'opportunities',
          proposal,
          sourceYaml: '{ type: csv, path: "deals, 2026.csv" }',
          sourceLabel: 'deals.csv',
        },
      ],
      { stateFile: '.autotask-sync/state.sqlite' },
    );
    const { config } = parseConfig(text, { file: '/tmp/x/sync.config.yaml', env: {} });
    const sync = config.syncs[0];
    expect(sync?.object).toBe('Opportunity');
    expect(sync?.fields['ownerResourceID']).toEqual({ column: 'Owner', ref: 'Resource' });
    expect(sync?.fields['status']).toEqual({ default: 'Active' });
    expect(text).not.toContain('REQUIRED'); // every required field is mapped or defaulted here
  });

  it('comments out required fields with no column, so the file still loads', () => {
    const proposal = proposeMappings('Company', ['Name'], meta('Companies'));
    const text = renderConfig(
      [{ name: 'companies', proposal, sourceYaml: '{ type: csv, path: c.csv }', sourceLabel: 'c.csv' }],
      {
        stateFile: 's.sqlite',
      },
    );
    expect(text).toMatch(/# ownerResourceID: \{ column: \?, ref: Resource \} # REQUIRED/);
    expect(text).toMatch(/# phone: .* # REQUIRED/);
    expect(() => parseConfig(text, { file: '/tmp/x/c.yaml', env: {} })).not.toThrow();
  });

  it('quotes scalars YAML would misread', () => {
    expect(yamlScalar('Name')).toBe('Name');
    expect(yamlScalar('a, b')).toBe('"a, b"');
    expect(yamlScalar('#tag')).toMatch(/^["']#tag["']$/);
    expect(yamlScalar('true')).toMatch(/^["']true["']$/); // a column named true stays a string
    expect(yamlScalar('42')).toMatch(/^["']42["']$/);
    expect(yamlScalar(3)).toBe('3');
  });
});

describe('guessDateFormat', () => {
  it.each([
    [['31/01/2026', '01/02/2026'], { format: 'DD/MM/YYYY', certain: true }],
    [['1/31/2026', '12/1/2026'], { format: 'M/D/YYYY', certain: true }],
    [['01.02.2026', '03.04.2026'], { format: 'DD.MM.YYYY', certain: false }],
    [['13-1-2026', ''], { format: 'DD-M-YYYY', certain: true }],
    // a typo that is no date in either order does not spoil the column's guess
    [['01.12.2026', '15.11.2026', '31.13.2026'], { format: 'DD.MM.YYYY', certain: true }],
  ])('%j → %j', (values, expected) => {
    expect(guessDateFormat(values)).toEqual(expected);
  });

  it.each([
    [['2026-01-31', '2026-02-01T10:00:00Z']],
    [['31/01/2026', '2026-01-31']],
    [['13/13/2026']],
    [['']],
    [['31/01-2026']],
  ])('no transform for %j', (values) => {
    expect(guessDateFormat(values)).toBeUndefined();
  });
});

describe('required picklists', () => {
  it('list the active labels to choose a default from, in the proposal and the file', () => {
    const p = proposeMappings('Opportunity', ['Title'], meta('Opportunities'));
    const stage = p.missing.find((m) => m.field === 'stage');
    expect(stage?.labels).toEqual(expect.arrayContaining(['Proposal', 'Negotiation']));
    const text = renderConfig(
      [{ name: 'o', proposal: p, sourceYaml: '{ type: csv, path: o.csv }', sourceLabel: 'o.csv' }],
      {
        stateFile: 's.sqlite',
      },
    );
    expect(text).toMatch(/# stage: \{ column: \? \} # REQUIRED .*\(one of: .*Proposal.*\)/);
  });
});

describe('usesDecimalComma', () => {
  it.each([[['12.500,00', '4.800,00', '', '0']], [['99,9', '1,25']], [['1.234.567,5']]])(
    'decimal comma: %j',
    (values) => {
      expect(usesDecimalComma(values)).toBe(true);
    },
  );

  it.each([
    [['1,250,000.00', '95,000.00']],
    [['12.5', '99,9']], // mixed: nothing is guessed
    [['1,500', '12']], // reads the same either way
    [['12.500']],
    [['abc,12']],
    [[]],
  ])('no decimal comma: %j', (values) => {
    expect(usesDecimalComma(values)).toBe(false);
  });
});

describe('synonyms of common exports', () => {
  it('maps a HubSpot/Salesforce contacts export', () => {
    const p = proposeMappings(
      'Contact',
      ['First Name', 'Last Name', 'Email', 'Company Name', 'Phone Number', 'Account Owner'],
      meta('Contacts'),
    );
    expect(p.mappings.map((m) => [m.column, m.field, m.match])).toEqual([
      ['First Name', 'firstName', 'synonym'],
      ['Last Name', 'lastName', 'synonym'],
      ['Email', 'emailAddress', 'synonym'],
      ['Company Name', 'companyID', 'synonym'],
      ['Phone Number', 'phone', 'synonym'],
    ]);
    expect(p.unmatched).toEqual(['Account Owner']); // contacts have no owner in Autotask
  });

  it('maps a German opportunities export', () => {
    const p = proposeMappings(
      'Opportunity',
      [
        'Titel',
        'Firma',
        'Betrag',
        'Kosten',
        'Wahrscheinlichkeit',
        'Startdatum',
        'Abschlussdatum',
        'Verantwortlicher',
      ],
      meta('Opportunities'),
    );
    expect(Object.fromEntries(p.mappings.map((m) => [m.column, m.field]))).toEqual({
      Titel: 'title',
      Firma: 'companyID',
      Betrag: 'amount',
      Kosten: 'cost',
      Wahrscheinlichkeit: 'probability',
      Startdatum: 'startDate',
      Abschlussdatum: 'projectedCloseDate',
      Verantwortlicher: 'ownerResourceID',
    });
    expect(p.mappings.every((m) => m.match === 'synonym')).toBe(true);
  });

  it('maps Google Sheets and Salesforce company headers', () => {
    const p = proposeMappings(
      'Company',
      [
        'Account Name',
        'Billing Street',
        'Billing City',
        'Billing State/Province',
        'Billing Zip/Postal Code',
        'Website URL',
      ],
      meta('Companies'),
    );
    expect(p.mappings.map((m) => m.field)).toEqual([
      'companyName',
      'address1',
      'city',
      'state',
      'postalCode',
      'webAddress',
    ]);
  });
});
