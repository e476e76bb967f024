import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { KeySpec } from '../../../../src/sync/keys/index.js';
import { FieldMappingsSpec, RowFilterSpec, TransformSpec } from '../../../../src/sync/mapping/index.js';

function messages(spec: unknown): string[] {
  const r = FieldMappingsSpec.safeParse(spec);
  if (r.success) return [];
  const flat = (issues: readonly z.core.$ZodIssue[]): string[] =>
    issues.flatMap((i) =>
      i.code === 'invalid_union' ? i.errors.flatMap(flat) : [`${i.path.join('.')}: ${i.message}`],
    );
  return flat(r.error.issues);
}

describe('FieldMappingsSpec', () => {
  it('accepts the shapes of the design example', () => {
    const spec = {
      companyName: 'Name',
      phone: { column: 'Phone', transform: ['trim'] },
      companyType: { column: 'Type', default: 'Prospect' },
      ownerResourceID: { column: 'Owner Email', ref: 'Resource' },
      'udf:Customer Ranking': { column: 'Ranking' },
      isActive: { default: 1 },
      title: { template: '{First Name} {Last Name}', direction: 'autotask' },
      webAddress: { value: null },
      city: {
        column: 'City',
        transform: [
          'trim',
          { type: 'map', values: { NYC: 'New York' }, keepUnmatched: true },
          { type: 'truncate', length: 30 },
        ],
      },
      startDate: {
        column: 'Start',
        transform: [{ type: 'date', format: 'DD/MM/YYYY', timeZone: 'Europe/Paris' }],
      },
      amount: { column: 'Amount', transform: [{ type: 'number', decimal: ',' }] },
      useQuoteTotals: { column: 'Quote', transform: [{ type: 'boolean', true: ['oui'], false: ['non'] }] },
    };
    expect(FieldMappingsSpec.safeParse(spec).success).toBe(true);
  });

  it.each<[unknown, RegExp]>([
    [{ a: { column: 'x', value: 1 } }, /only one of column, value or template \(found column and value\)/],
    [{ a: {} }, /would never set anything/],
    [{ a: { value: 1, transform: ['trim'] } }, /constant value takes no transform/],
    [{ a: { column: 'x', transform: ['date'] } }, /date transform needs its format/],
    [{ a: { column: 'x', transform: ['map'] } }, /map transform needs its table/],
    [{ a: { column: 'x', transform: ['lowr'] } }, /unknown transform "lowr".*did you mean "lower"/],
    [{ a: { column: 'x', ref: 'Opportunity' } }, /Invalid option/],
    [{ a: { column: 'x', direction: 'both' } }, /Invalid option/],
    [{ a: { column: '' } }, /too_small|>=1|at least/i],
  ])('refuses %j', (spec, message) => {
    expect(messages(spec).join('\n')).toMatch(message);
  });

  it('converts to JSON Schema for editors, with the bare transform names as an enum', () => {
    const schema = JSON.stringify(
      z.toJSONSchema(z.object({ fields: FieldMappingsSpec, where: RowFilterSpec, key: KeySpec })),
    );
    expect(schema).toContain(
      '"enum":["trim","lower","upper","title","collapse-spaces","integer","empty-to-null","number","boolean","truncate"]',
    );
    expect(schema).toContain('keepUnmatched');
    expect(z.toJSONSchema(TransformSpec)).toHaveProperty('anyOf');
  });
});
