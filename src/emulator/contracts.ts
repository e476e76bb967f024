/**
 * The seams between the emulator's parts, fixed up front so they can be built side by side:
 * - `metadata/` + `seed/` describe entities and produce tenants;
 * - `store/` keeps records (`EntityTable`) and `query/` answers queries over them;
 * - `routes/` (the HTTP surface) uses all of the above;
 * - `limits/` and `faults/` wrap the HTTP surface.
 */
import type {
  EntityInformation,
  EntityName,
  EntityRecord,
  FieldInformation,
  UserDefinedFieldInformation,
} from '../autotask/types.js';

/** Static description of one entity, as served by its metadata endpoints. */
export interface EntitySchema {
  name: EntityName;
  /** Singular name used in Autotask's messages, e.g. "Unable to find x in the Company Entity." */
  singular: 'Company' | 'Contact' | 'Opportunity' | 'Resource';
  info: EntityInformation;
  fields: FieldInformation[];
}

/**
 * A record as kept in memory. Field values use Autotask's camelCase names and wire types; fields
 * that are null may be absent. UDF values are kept by UDF name.
 */
export interface StoredRecord {
  id: number;
  values: Record<string, unknown>;
  udfs: Record<string, string | null>;
}

/** One entity's records, ordered by id. */
export interface EntityTable {
  readonly entity: EntityName;
  get(id: number): StoredRecord | undefined;
  /** Adds a record whose id the tenant has already assigned. */
  insert(record: StoredRecord): void;
  /** Replaces the record with the same id. */
  replace(record: StoredRecord): void;
  delete(id: number): boolean;
  size(): number;
  /** Records in ascending id order, starting after `afterId` when given. */
  scan(afterId?: number): Iterable<StoredRecord>;
  /**
   * Ids of records whose `field` equals `value` under Autotask's string equality (case-insensitive,
   * trailing spaces ignored), when the table keeps an index on that field; `undefined` otherwise.
   */
  lookup?(field: string, value: unknown): Iterable<number> | undefined;
}

/** An API user of the tenant (the credentials the emulator accepts). */
export interface ApiUser {
  userName: string;
  secret: string;
  integrationCode: string;
  /** The Resource that represents this API user (an API-only resource). */
  resourceId: number;
}

/** All of one tenant's data. */
export interface Tenant {
  tables: Record<EntityName, EntityTable>;
  udfDefinitions: Record<EntityName, UserDefinedFieldInformation[]>;
  apiUsers: ApiUser[];
  /** Next id for a new record of `entity` (monotonic per entity). */
  nextId(entity: EntityName): number;
}

/** The query-engine entry point's input; the body has already been parsed as JSON. */
export interface QueryRequest {
  schema: EntitySchema;
  udfs: UserDefinedFieldInformation[];
  table: EntityTable;
  /** Raw query body (keys case-insensitive): `{ filter, MaxRecords, IncludeFields }`. */
  body: unknown;
  /** Keyset continuation: only records with id > afterId. */
  afterId?: number;
  /**
   * What a MaxRecords above 500 does: an error (Autotask's behaviour is unknown, §14 item 5) or a
   * page of 500, as clients that clamp expect. Below 1 is always an error. @default 'error'
   */
  maxRecordsAboveLimit?: 'error' | 'clamp';
}

export interface QueryResult {
  /** Records of this page rendered for the wire (IncludeFields applied). */
  items: EntityRecord[];
  /** Page size used (MaxRecords, default 500). */
  requestCount: number;
  /** Id of the last record on this page when more records match after it. */
  continueAfterId?: number;
}

/** Thrown by the query engine and the validators: becomes `500 {"errors":[message]}`. */
export class AutotaskBusinessError extends Error {
  constructor(
    readonly errors: string[],
    readonly status = 500,
  ) {
    super(errors.join(' '));
    this.name = 'AutotaskBusinessError';
  }
}
