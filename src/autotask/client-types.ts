/**
 * The public shape of the Autotask client: its options and the interfaces it returns. The
 * implementation lives in `client.ts`; this file holds no behaviour.
 */
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type {
  Company,
  Contact,
  EntityRecordMap,
  NewRecord,
  Opportunity,
  RecordPatch,
  Resource,
} from './entities/entity-records.js';
import type { ApiUsageStore, MetadataCacheStore } from './persistence-ports.js';
import type { QueryInput } from './query.js';
import type {
  EntityInformation,
  EntityName,
  EntityRecord,
  Filter,
  FieldInformation,
  FilterScalar,
  PicklistValue,
  ThresholdInformation,
  UserDefinedFieldInformation,
} from './types.js';

/** Hourly budget settings (§9.1). */
export interface BudgetOptions {
  /**
   * Share of the tenant's hourly limit that the tenant's usage (all integrations together, as
   * `ThresholdInformation` reports) stays below. Autotask adds latency from 50 % usage.
   * @default 0.5
   */
  share?: number;
  /**
   * The tenant's hourly request limit. When unset, taken from `ThresholdInformation`
   * (`externalRequestThreshold`), and 10,000 until the first reconciliation.
   * @default from ThresholdInformation, else 10000
   */
  hourlyLimit?: number;
  /**
   * How often (ms) to re-read `ThresholdInformation` to learn other integrations' usage; `false`
   * never reads it (the client then only counts its own calls).
   * @default 300000 (5 minutes)
   */
  reconcileIntervalMs?: number | false;
  /**
   * `'wait'` sleeps until the budget has room (and reports through `onWait`); `'fail'` throws
   * `AutotaskBudgetExhaustedError` instead.
   * @default 'wait'
   */
  whenExhausted?: 'wait' | 'fail';
  /**
   * Called when the client starts waiting for budget, with when the wait ends (once per wait, not
   * once per concurrent caller waiting).
   */
  onWait?: (info: BudgetWaitInfo) => void;
  /** Persists this installation's own calls so the rolling hour survives restarts. @default in memory */
  usageStore?: ApiUsageStore;
}

export interface BudgetWaitInfo {
  /** Epoch ms when the client will try again. */
  until: number;
  waitMs: number;
  /** Estimated tenant usage in the rolling hour. */
  used: number;
  /** The hourly limit. */
  limit: number;
  /** The most calls the tenant may have in the rolling hour: just below `share × limit`. */
  allowed: number;
}

/** Retry policy settings (§8, §9). */
export interface RetryOptions {
  /**
   * Attempts per call, including the first.
   * @default 5
   */
  maxAttempts?: number;
  /**
   * First backoff delay; doubles on each attempt, with up to 25 % jitter.
   * @default 1000
   */
  baseDelayMs?: number;
  /**
   * Longest single backoff delay (a `Retry-After` above it is capped to it).
   * @default 60000
   */
  maxDelayMs?: number;
}

/** Metadata cache settings (§5). */
export interface MetadataOptions {
  /**
   * How long fetched metadata (fields, UDFs, entity information, zone) is trusted.
   * @default 86400000 (24 hours)
   */
  ttlMs?: number;
  /** Persists metadata between runs. @default in memory only */
  cache?: MetadataCacheStore;
}

export interface AutotaskClientOptions {
  /** `base64("username:secret")`. Give either this or `username` + `secret`. */
  token?: string;
  /** The API-only user's username (email format). */
  username?: string;
  /** The API user's secret. */
  secret?: string;
  /** The API tracking identifier (sent as `ApiIntegrationCode`). */
  integrationCode: string;
  /**
   * REST zone root (`https://webservices14.autotask.net/ATServicesRest/`, with or without `V1.0`,
   * any case), or a legacy SOAP `.../atservices/1.6/atws.wsdl|asmx` URL (same host is used).
   * @default discovered through zoneInformation for the username
   */
  url?: string;
  /** Resource to attribute writes to (`ImpersonationResourceId`). */
  impersonationResourceId?: number;
  /**
   * Zone discovery root. Tests point it at the emulator.
   * @default 'https://webservices.autotask.net/ATServicesRest/'
   */
  discoveryUrl?: string;
  /**
   * Allow plain `http://` to hosts other than loopback (credentials travel unencrypted).
   * @default false
   */
  allowInsecureHttp?: boolean;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default systemClock */
  clock?: Clock;
  /** Random numbers in [0, 1) for backoff jitter. @default Math.random */
  random?: () => number;
  /** @default silentLogger */
  logger?: Logger;
  budget?: BudgetOptions;
  /**
   * Requests in flight per entity endpoint (Autotask allows 3 per integration code + endpoint).
   * @default 3
   */
  threadsPerEntity?: number;
  retry?: RetryOptions;
  metadata?: MetadataOptions;
  /**
   * Time limit per HTTP attempt, in ms.
   * @default 120000
   */
  timeoutMs?: number;
  /** Called after every HTTP attempt (progress displays, the run ledger). */
  onCall?: (event: CallEvent) => void;
  /**
   * Stops everything: requests in flight are aborted, budget waits and backoff sleeps end, and
   * calls reject with the signal's reason (e.g. on Ctrl-C).
   * @default none
   */
  signal?: AbortSignal;
}

/** One HTTP attempt, as reported to `onCall`. */
export interface CallEvent {
  method: string;
  /** Entity endpoint, or `Version` / `ThresholdInformation` / `zoneInformation`. */
  entity: string;
  /** What the call did: get, query, count, create, update, replace, metadata, threshold, version, zone. */
  operation: Operation;
  /** Redacted URL. */
  url: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  durationMs: number;
  /** 1 for the first attempt. */
  attempt: number;
  /** Estimated tenant usage in the rolling hour after this call, and the hourly limit. */
  budget: { used: number; limit: number };
}

export type Operation =
  'get' | 'query' | 'count' | 'create' | 'update' | 'replace' | 'metadata' | 'threshold' | 'version' | 'zone';

export interface CheckResult {
  /** Zone name when it was discovered (`AE02`); undefined when the URL was configured. */
  zone: string | undefined;
  /** `major.minor.build` from `/Version`. */
  apiVersion: string;
  /** The REST base URL in use (`.../ATServicesRest/V1.0/`). */
  url: string;
  budget: { used: number; limit: number };
}

export interface ClientStats {
  /** HTTP attempts (each retry counts), per entity or endpoint and operation. */
  calls: Record<string, Partial<Record<Operation, number>>>;
  totalCalls: number;
  /** Attempts that were retries. */
  retries: number;
  /** Budget waits and their total length. */
  budgetWaits: number;
  budgetWaitedMs: number;
  /** Metadata served from cache instead of a call. */
  metadataCacheHits: number;
}

/** A page of query results. */
export interface QueryPage<T> {
  items: T[];
  /** Absolute URL of the next page, or null on the last page. */
  nextPageUrl: string | null;
}

/** Read operations every entity has. */
export interface EntityReader<T extends EntityRecord> {
  /** The record, or undefined when Autotask has none with this id (`{"item":null}` or 404). */
  get: (id: number) => Promise<T | undefined>;
  /** Every matching record, following Autotask's paging. */
  query: (query: QueryInput) => AsyncIterable<T>;
  /** Every page (one call each). */
  queryPages: (query: QueryInput) => AsyncIterable<QueryPage<T>>;
  /** One page: the first, or the one at `nextPageUrl` (must have the configured origin). */
  queryPage: (query: QueryInput, nextPageUrl?: string) => Promise<QueryPage<T>>;
  /** Number of matching records (`/query/count`). */
  count: (filter: Filter | readonly Filter[]) => Promise<number>;
}

/** Per-call settings of `create`. */
export interface CreateOptions {
  /**
   * Called synchronously just before each HTTP attempt of the create is handed to the network
   * (after its budget and lane slots were taken; once per attempt when a retry is allowed). Use it
   * to note that the record may now reach Autotask. When it throws, that attempt is not sent and
   * the create rejects with its error.
   * @default none
   */
  onSend?: () => void;
}

/** Write operations. Each returns the record's id. */
export interface EntityWriter<T extends EntityRecord> {
  /**
   * Creates a record (POST). Never retried unless the failure proves nothing was written;
   * otherwise throws `AutotaskOutcomeUnknownError`: look the record up before trying again.
   */
  create: (fields: NewRecord<T>, options?: CreateOptions) => Promise<number>;
  /** Changes only the given fields (PATCH, `id` in the body). Retried like reads (idempotent). */
  update: (patch: RecordPatch<T>) => Promise<number>;
  /** Replaces the record (PUT): fields not sent become null. */
  replace: (full: RecordPatch<T>) => Promise<number>;
}

export type CompaniesApi = EntityReader<Company> & EntityWriter<Company>;
export type OpportunitiesApi = EntityReader<Opportunity> & EntityWriter<Opportunity>;
/**
 * Contacts are written through `/Companies/{companyID}/Contacts`: `create` needs `companyID`;
 * `update`/`replace` use it when given and otherwise read the contact first (one extra call).
 */
export type ContactsApi = EntityReader<Contact> & EntityWriter<Contact>;
/** Resources cannot be created through the API; updates need admin rights on Resources. */
export type ResourcesApi = EntityReader<Resource> & Omit<EntityWriter<Resource>, 'create'>;

export interface FindByValuesOptions {
  /** Fields to return (the looked-up field and `id` are added). @default all fields */
  includeFields?: readonly string[];
  /** Extra conditions ANDed to every batch (their OR conditions count against the 500). */
  filter?: readonly Filter[];
  /** The field is a user-defined field. @default false */
  udf?: boolean;
  /**
   * Values per `in` query (at most 500 minus the OR conditions in `filter`).
   * @default 500
   */
  batchSize?: number;
}

/** A picklist with both directions of lookup. Values are strings, as on the wire. */
export interface Picklist {
  field: string;
  values: readonly PicklistValue[];
  /** By value (`"1"`). */
  byValue: ReadonlyMap<string, PicklistValue>;
  /** By label, normalised with `normaliseLookupValue`; several values may share a label. */
  byLabel: ReadonlyMap<string, readonly PicklistValue[]>;
  /** The value for a label, preferring active values; undefined when none or ambiguous. */
  valueOf(label: string): string | undefined;
  /** The label for a value (number or string). */
  labelOf(value: string | number): string | undefined;
}

export interface MetadataApi {
  /** Field definitions (`entityInformation/fields`), cached. */
  fields(entity: EntityName): Promise<FieldInformation[]>;
  /** UDF definitions (`entityInformation/userDefinedFields`), cached. */
  udfs(entity: EntityName): Promise<UserDefinedFieldInformation[]>;
  /** Entity capabilities (`entityInformation`), cached. */
  info(entity: EntityName): Promise<EntityInformation>;
  /** The picklist of a field (or, with `udf: true`, of a UDF); undefined when it is not a picklist. */
  picklist(entity: EntityName, field: string, options?: { udf?: boolean }): Promise<Picklist | undefined>;
  /** Forgets cached metadata (of one entity, or all) so the next read fetches it. */
  invalidate(entity?: EntityName): void;
}

export interface AutotaskClient {
  /**
   * A cheap connection test (zone discovery when needed, `/Version`, `ThresholdInformation`).
   * Throws a typed error that says which setting is likely wrong.
   */
  check(): Promise<CheckResult>;
  readonly companies: CompaniesApi;
  readonly contacts: ContactsApi;
  readonly opportunities: OpportunitiesApi;
  readonly resources: ResourcesApi;
  /** The API of an entity by name. */
  entity<E extends EntityName>(name: E): ClientEntityMap[E];
  /**
   * Finds records whose `field` equals any of `values`, in `in` queries of ≤ 500 values. Keys of the
   * result are `normaliseLookupValue(value)` (Autotask compares strings case-insensitively and
   * ignores trailing spaces); every requested value has an entry (empty when nothing matched).
   */
  findByValues<E extends EntityName>(
    entity: E,
    field: string,
    values: Iterable<FilterScalar>,
    options?: FindByValuesOptions,
  ): Promise<Map<string, EntityRecordMap[E][]>>;
  readonly metadata: MetadataApi;
  /** Reads `ThresholdInformation` now (one call) and reconciles the budget with it. */
  threshold(): Promise<ThresholdInformation>;
  /** Current budget estimate without a call. */
  budget(): { used: number; limit: number; allowed: number };
  /** Counters since the client was created. */
  stats(): ClientStats;
  /** The REST base URL in use (`.../ATServicesRest/V1.0/`), resolving the zone if needed. */
  baseUrl(): Promise<string>;
}

export interface ClientEntityMap {
  Companies: CompaniesApi;
  Contacts: ContactsApi;
  Opportunities: OpportunitiesApi;
  Resources: ResourcesApi;
}
