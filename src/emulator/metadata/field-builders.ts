/**
 * Small constructors for `FieldInformation` entries, so that each entity's field list reads like the
 * tables of the API doc (§6) instead of a wall of JSON.
 */
import type { FieldDataType, FieldInformation, PicklistValue } from '../../autotask/types.js';

/** Flags that differ from the defaults of a plain optional, writable, queryable field. */
export interface FieldFlags {
  /** @default false */
  required?: boolean;
  /** @default false */
  readOnly?: boolean;
  /** @default true */
  queryable?: boolean;
  /** @default true */
  webhook?: boolean;
}

function field(name: string, dataType: FieldDataType, length: number, flags: FieldFlags): FieldInformation {
  return {
    name,
    dataType,
    length,
    isRequired: flags.required ?? false,
    isReadOnly: flags.readOnly ?? false,
    isQueryable: flags.queryable ?? true,
    isReference: false,
    referenceEntityType: '',
    isPickList: false,
    picklistValues: null,
    picklistParentValueField: '',
    isSupportedWebhookField: flags.webhook ?? true,
  };
}

/** A string field of at most `length` characters. */
export function stringField(name: string, length: number, flags: FieldFlags = {}): FieldInformation {
  return field(name, 'string', length, flags);
}

/** A numeric field (`integer`, `long`, `short`, `double` or `decimal`). */
export function numberField(
  name: string,
  dataType: 'integer' | 'long' | 'short' | 'double' | 'decimal',
  flags: FieldFlags = {},
): FieldInformation {
  return field(name, dataType, 0, flags);
}

export function booleanField(name: string, flags: FieldFlags = {}): FieldInformation {
  return field(name, 'boolean', 0, flags);
}

export function dateTimeField(name: string, flags: FieldFlags = {}): FieldInformation {
  return field(name, 'datetime', 0, flags);
}

/** An integer field that holds the id of a record of `entityType` (singular name, e.g. "Resource"). */
export function referenceField(
  name: string,
  entityType: string,
  flags: FieldFlags & { dataType?: 'integer' | 'long' } = {},
): FieldInformation {
  return {
    ...field(name, flags.dataType ?? 'integer', 0, flags),
    isReference: true,
    referenceEntityType: entityType,
  };
}

/** An integer field whose values come from `values` (picklist values are strings on the wire). */
export function picklistField(
  name: string,
  values: PicklistValue[],
  flags: FieldFlags & { dataType?: 'integer' | 'short'; parentField?: string } = {},
): FieldInformation {
  return {
    ...field(name, flags.dataType ?? 'integer', 0, flags),
    isPickList: true,
    picklistValues: values,
    picklistParentValueField: flags.parentField ?? '',
  };
}

/** Shorthand for one picklist value; `sortOrder` defaults to the value's position in its list. */
export interface PicklistEntry {
  value: number | string;
  label: string;
  /** @default true */
  isActive?: boolean;
  /** @default false */
  isDefaultValue?: boolean;
  /** @default true */
  isSystem?: boolean;
  /** @default '' */
  parentValue?: string;
}

/** Builds picklist values from entries, numbering `sortOrder` in list order. */
export function picklist(entries: readonly PicklistEntry[]): PicklistValue[] {
  return entries.map((e, index) => ({
    value: String(e.value),
    label: e.label,
    isDefaultValue: e.isDefaultValue ?? false,
    sortOrder: index,
    parentValue: e.parentValue ?? '',
    isActive: e.isActive ?? true,
    isSystem: e.isSystem ?? true,
  }));
}
