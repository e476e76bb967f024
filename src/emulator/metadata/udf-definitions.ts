/**
 * User-defined field definitions (API doc §5.3, §7). Each tenant has its own; `defaultUdfDefinitions`
 * gives a few realistic ones per entity (string, number, picklist, date) and none for Resources.
 */
import type { EntityName, FieldDataType, UserDefinedFieldInformation } from '../../autotask/types.js';
import type { PicklistEntry } from './field-builders.js';
import { picklist } from './field-builders.js';

/** What a UDF definition needs; everything else takes Autotask's usual defaults. */
export interface UdfSpec {
  name: string;
  /** `string`, a number type (`decimal`, `integer`, ...), `date`/`datetime`; picklists are `integer`. */
  type: FieldDataType;
  /** @default name */
  label?: string;
  /** Max characters for strings. @default 8000 for strings, 0 otherwise */
  length?: number;
  /** @default '' */
  description?: string;
  /** Required in the UI (not enforced through the API, §7). @default false */
  isRequired?: boolean;
  /** @default true */
  isQueryable?: boolean;
  /** Picklist values; makes the UDF a picklist UDF. @default none */
  picklist?: readonly PicklistEntry[];
  /** @default null */
  defaultValue?: string | null;
}

export function makeUdfDefinition(spec: UdfSpec): UserDefinedFieldInformation {
  const values = spec.picklist ? picklist(spec.picklist.map((e) => ({ isSystem: false, ...e }))) : null;
  return {
    name: spec.name,
    label: spec.label ?? spec.name,
    type: spec.type,
    length: spec.length ?? (spec.type === 'string' ? 8000 : 0),
    description: spec.description ?? '',
    isRequired: spec.isRequired ?? false,
    isReadOnly: false,
    isQueryable: spec.isQueryable ?? true,
    isReference: false,
    referenceEntityType: '',
    isPickList: values !== null,
    picklistValues: values,
    picklistParentValueField: '',
    defaultValue: spec.defaultValue ?? null,
    isSupportedWebhookField: false,
  };
}

/** Default UDF specs per entity; Resources have none (they do not support UDFs). */
export const DEFAULT_UDF_SPECS: Readonly<Record<EntityName, readonly UdfSpec[]>> = {
  Companies: [
    { name: 'CRM ID', type: 'string', length: 100, description: 'Id of the company in the CRM' },
    { name: 'Discount', type: 'decimal', description: 'Standard discount in percent' },
    {
      name: 'Lead Source',
      type: 'integer',
      picklist: [
        { value: 1, label: 'Website' },
        { value: 2, label: 'Referral' },
        { value: 3, label: 'Event' },
        { value: 4, label: 'Directory listing', isActive: false },
      ],
    },
    { name: 'Contract Renewal Date', type: 'date' },
    { name: 'Number of Employees', type: 'integer' },
  ],
  Contacts: [
    {
      name: 'Newsletter',
      type: 'integer',
      picklist: [
        { value: 1, label: 'Yes' },
        { value: 2, label: 'No', isDefaultValue: true },
      ],
    },
    { name: 'Preferred Language', type: 'string', length: 50 },
    { name: 'NPS Score', type: 'integer' },
    { name: 'Birthday', type: 'date' },
  ],
  Opportunities: [
    {
      name: 'Deal Source ID',
      type: 'string',
      length: 100,
      description: 'Id of the deal in the source system',
    },
    {
      name: 'Forecast Category',
      type: 'integer',
      picklist: [
        { value: 1, label: 'Pipeline' },
        { value: 2, label: 'Best Case' },
        { value: 3, label: 'Commit' },
        { value: 4, label: 'Omitted', isActive: false },
      ],
    },
    { name: 'Expected Margin', type: 'decimal' },
    { name: 'Decision Date', type: 'date' },
  ],
  Resources: [],
};

/** A fresh copy of the default UDF definitions, per entity. */
export function defaultUdfDefinitions(): Record<EntityName, UserDefinedFieldInformation[]> {
  return {
    Companies: DEFAULT_UDF_SPECS.Companies.map(makeUdfDefinition),
    Contacts: DEFAULT_UDF_SPECS.Contacts.map(makeUdfDefinition),
    Opportunities: DEFAULT_UDF_SPECS.Opportunities.map(makeUdfDefinition),
    Resources: [],
  };
}
