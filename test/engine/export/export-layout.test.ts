import { describe, expect, it } from 'vitest';

import type {
  FieldInformation,
  PicklistValue,
  UserDefinedFieldInformation,
} from '../../../src/autotask/types.js';
import { buildExportLayout } from '../../../src/sync/export/index.js';

function pick(value: string, label: string): PicklistValue {
  return {
    value,
    label,
    isDefaultValue: false,
    sortOrder: 0,
    parentValue: '',
    isActive: true,
    isSystem: false,
  };
}
function field(
  name: string,
  dataType: FieldInformation['dataType'],
  picklist?: PicklistValue[],
): FieldInformation {
  return {
    name,
    dataType,
    length: 0,
    isRequired: false,
    isReadOnly: false,
    isQueryable: true,
    isReference: false,
    referenceEntityType: '',
    isPickList: picklist !== undefined,
    picklistValues: picklist ?? null,
    picklistParentValueField: '',
    isSupportedWebhookField: false,
  };
}
function udf(
  name: string,
  type: UserDefinedFieldInformation['type'],
  picklist?: PicklistValue[],
): UserDefinedFieldInformation {
  return {
    name,
    label: name,
    type,
    length: 0,
    description: '',
    isRequired: false,
    isReadOnly: false,
    isQueryable: true,
    isReference: false,
    referenceEntityType: '',
    isPickList: picklist !== undefined,
    picklistValues: picklist ?? null,
    picklistParentValueField: '',
    defaultValue: null,
    isSupportedWebhookField: false,
  };
}

describe('export layout', () => {
  const layout = buildExportLayout(
    [
      field('companyName', 'string'),
      field('id', 'long'),
      field('companyType', 'short', [pick('1', 'Customer'), pick('3', 'Prospect')]),
      field('isActive', 'boolean'),
      field('lastActivityDate', 'datetime'),
    ],
    [
      udf('Customer Ranking', 'string'),
      udf('Lead Source', 'integer', [pick('7', 'Web form')]),
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
      { name: 'udf_Lead Source', type: 'string' },
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
      'udf_Lead Source': '7',
      'udf_Lead Source_label': 'Web form',
      udf_Discount: '2.5',
    });
    expect(layout.toRow({ id: 6, companyType: 99 })['companyType_label']).toBeNull();
  });
});
