/**
 * Wire types of the Autotask REST API v1.0, as documented in `docs/autotask-rest-api.md` (shared) and
 * Autotask's OpenAPI files. Shared by the client and the emulator; no behaviour lives here.
 */

/** The entities this product reads and writes, by their REST URL names. */
export const ENTITY_NAMES = ['Companies', 'Contacts', 'Opportunities', 'Resources'] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

/** Query operators (§4.3). */
export const COMPARISON_OPS = [
  'eq',
  'noteq',
  'gt',
  'gte',
  'lt',
  'lte',
  'beginsWith',
  'endsWith',
  'contains',
] as const;
export const EXISTENCE_OPS = ['exist', 'notExist'] as const;
export const LIST_OPS = ['in', 'notIn'] as const;
export const GROUP_OPS = ['and', 'or'] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];
export type ExistenceOp = (typeof EXISTENCE_OPS)[number];
export type ListOp = (typeof LIST_OPS)[number];
export type GroupOp = (typeof GROUP_OPS)[number];
export type FilterOp = ComparisonOp | ExistenceOp | ListOp | GroupOp;

export type FilterScalar = string | number | boolean;

/** One condition or group of a query filter (swagger `Filter`). */
export type Filter =
  | { op: ComparisonOp; field: string; value: FilterScalar; udf?: boolean }
  | { op: ExistenceOp; field: string; udf?: boolean }
  | { op: ListOp; field: string; value: FilterScalar[]; udf?: boolean }
  | { op: GroupOp; items: Filter[] };

/** POST `/{Entity}/query` body (swagger `QueryModel`); keys are case-insensitive on the wire. */
export interface QueryBody {
  filter: Filter[];
  /** 1–500, default 500. */
  MaxRecords?: number;
  IncludeFields?: string[];
}

export interface PageDetails {
  count: number;
  requestCount: number;
  prevPageUrl: string | null;
  nextPageUrl: string | null;
}

export interface UserDefinedFieldValue {
  name: string;
  value: string | null;
}

/** A record as Autotask returns it: camelCase fields plus `userDefinedFields`. */
export type EntityRecord = {
  id: number;
  userDefinedFields?: UserDefinedFieldValue[];
} & Record<string, unknown>;

export interface QueryResponse<T = EntityRecord> {
  items: T[];
  pageDetails: PageDetails;
}
export interface ItemResponse<T = EntityRecord> {
  item: T | null;
}
export interface ItemIdResponse {
  itemId: number;
}
export interface CountResponse {
  queryCount: number;
}
/** Application error envelope (§8.1). */
export interface ErrorsResponse {
  errors: string[];
}
/** Framework error envelope (ASP.NET Web API), e.g. 405. */
export interface MessageResponse {
  Message: string;
}

export interface ZoneInformation {
  zoneName: string;
  url: string;
  webUrl: string;
  ci: number;
}

export interface ThresholdInformation {
  externalRequestThreshold: number;
  requestThresholdTimeframe: number;
  currentTimeframeRequestCount: number;
}

export interface VersionInformation {
  majorVersion: string;
  minorVersion: string;
  build: string;
  customerType: string;
}

/** `GET /{Entity}/entityInformation` → `{ info }`. */
export interface EntityInformation {
  name: string;
  canCreate: boolean;
  canDelete: boolean;
  canQuery: boolean;
  canUpdate: boolean;
  /** 0 = None, 1 = All, 2 = Restricted. */
  userAccessForCreate: number;
  userAccessForDelete: number;
  userAccessForQuery: number;
  userAccessForUpdate: number;
  hasUserDefinedFields: boolean;
  supportsWebhookCallouts: boolean;
}

export interface PicklistValue {
  /** Always a string on the wire, even for numeric ids. */
  value: string;
  label: string;
  isDefaultValue: boolean;
  sortOrder: number;
  parentValue: string;
  isActive: boolean;
  isSystem: boolean;
}

export type FieldDataType =
  'string' | 'integer' | 'long' | 'short' | 'double' | 'decimal' | 'boolean' | 'datetime' | 'date';

/** `GET /{Entity}/entityInformation/fields` → `{ fields: FieldInformation[] }`. */
export interface FieldInformation {
  name: string;
  dataType: FieldDataType;
  /** Max characters for strings, 0 otherwise. */
  length: number;
  isRequired: boolean;
  isReadOnly: boolean;
  isQueryable: boolean;
  isReference: boolean;
  referenceEntityType: string;
  isPickList: boolean;
  picklistValues: PicklistValue[] | null;
  picklistParentValueField: string;
  isSupportedWebhookField: boolean;
}

/** `GET /{Entity}/entityInformation/userDefinedFields` → `{ fields: UserDefinedFieldInformation[] }`. */
export interface UserDefinedFieldInformation {
  name: string;
  label: string;
  type: FieldDataType;
  length: number;
  description: string;
  isRequired: boolean;
  isReadOnly: boolean;
  isQueryable: boolean;
  isReference: boolean;
  referenceEntityType: string;
  isPickList: boolean;
  picklistValues: PicklistValue[] | null;
  picklistParentValueField: string;
  defaultValue: string | null;
  isSupportedWebhookField: boolean;
}

/** Autotask webhook callout body (§10). */
export interface WebhookCallout {
  Action: 'Create' | 'Update' | 'Delete' | 'Deactivated';
  Guid: string;
  EntityType: string;
  Id: number;
  Fields: Record<string, unknown>;
  EventTime: string;
  SequenceNumber: number;
  PersonID: number;
}
