import { describe, expect, it } from 'vitest';

import { buildExportLayout } from '../../../src/sync/export/index.js';
import { field, pick, udf } from '../../helpers/metadata-fixtures.js';

describe('export layout', () => {
  const layout = buildExportLayout(
    [
      field('companyName', 'string'),
      field('id', 'long'),
      field('companyType', 'short', {
        isPickList: true,
        picklistValues: [pick('1', 'Customer'), pick('3', 'Prospect')],
      }),
      field('isActive', 'boolean'),
      field('lastActivityDate', 'datetime'),
    ],
    [
      udf('Customer Ranking', 'string'),
      udf('Lead Source', 'integer', { isPickList: true, picklistValues: [pick('7', 'Web form')] }),
      udf('Discount', 'decimal'),
    ],
  );

  it('puts id first, labels beside picklist values, and UDFs last as udf_<Name>', () => {
    expect(layout.columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'companyName', type: 'string' },
      { name: 'companyType', type: 'integer' },
      { name: 'companyType_label', type: 'string' },
      { name: 'isActive', type: 'boolean' },
      { name: 'lastActivityDate', type: 'datetime' },
      { name: 'udf_Customer Ranking', type: 'string' },
      { name: 'udf_Lead Source', type: 'integer' },
      { name: 'udf_Lead Source_label', type: 'string' },
      { name: 'udf_Discount', type: 'decimal' },
    ]);
  });

  it('turns a record into a row, with labels looked up and missing values as null', () => {
    expect(
      layout.toRow({
        id: 5,
        companyName: 'Acme',
        companyType: 3,
        isActive: true,
        userDefinedFields: [
          { name: 'Lead Source', value: '7' },
          { name: 'Discount', value: '2.5' },
        ],
      }),
    ).toEqual({
      id: 5,
      companyName: 'Acme',
      companyType: 3,
      companyType_label: 'Prospect',
      isActive: true,
      lastActivityDate: null,
      'udf_Customer Ranking': null,
      'udf_Lead Source': 7,
      'udf_Lead Source_label': 'Web form',
      udf_Discount: 2.5,
    });
    expect(layout.toRow({ id: 6, companyType: 99 })['companyType_label']).toBeNull();
  });
});
