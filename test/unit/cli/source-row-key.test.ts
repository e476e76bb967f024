import { describe, expect, it } from 'vitest';

import { keyFromSourceRow } from '../../../src/cli/render/source-row-key.js';

describe('keyFromSourceRow', () => {
  it('computes a company key from the name column, normalised as the ledger stores it', () => {
    const sync = { object: 'Company' as const, fields: { companyName: 'Name', phone: 'Phone' } };
    expect(keyFromSourceRow(sync, { Name: '  Acme, Inc. ', Phone: 'x'.repeat(40) })).toBe('acme inc');
  });

  it('computes a contact key from an object mapping with a key-neutral transform', () => {
    const sync = {
      object: 'Contact' as const,
      fields: {
        emailAddress: { column: 'E-mail', transform: ['trim' as const] },
        companyID: { column: 'C', ref: 'Company' as const },
      },
    };
    expect(keyFromSourceRow(sync, { 'E-mail': ' Ada@Example.COM ', C: 'Acme' })).toBe('ada@example.com');
  });

  it('uses a configured key, a constant and a default', () => {
    const sync = {
      object: 'Company' as const,
      key: ['companyName', 'city'],
      fields: { companyName: { value: 'Fixed Co' }, city: { column: 'City', default: 'Berlin' } },
    };
    expect(keyFromSourceRow(sync, { City: '' })).toBe(JSON.stringify(['fixed co', 'berlin']));
  });

  it('gives up where only the engine can tell: a reference part, a template, a changing transform, an empty key', () => {
    const opportunity = {
      object: 'Opportunity' as const,
      fields: {
        title: 'Title',
        projectedCloseDate: 'Close',
        companyID: { column: 'Company', ref: 'Company' as const },
      },
    };
    expect(
      keyFromSourceRow(opportunity, { Title: 'Deal', Close: '2026-12-01', Company: 'Acme' }),
    ).toBeUndefined();
    expect(
      keyFromSourceRow(
        { object: 'Company', fields: { companyName: { template: '{A} {B}' } } },
        { A: 'x', B: 'y' },
      ),
    ).toBeUndefined();
    expect(
      keyFromSourceRow(
        {
          object: 'Company',
          fields: { companyName: { column: 'N', transform: [{ type: 'map', values: { a: 'b' } }] } },
        } as never,
        { N: 'a' },
      ),
    ).toBeUndefined();
    expect(
      keyFromSourceRow({ object: 'Company', fields: { companyName: 'Name' } }, { Name: '  ' }),
    ).toBeUndefined();
    expect(keyFromSourceRow({ object: 'Company', fields: { companyName: 'Name' } }, null)).toBeUndefined();
  });
});
