// The Autotask REST client's public API (re-exports only).
export { createAutotaskClient } from './client.js';
export type * from './client-types.js';
export type * from './entities/entity-records.js';
export * from './errors.js';
export {
  where,
  and,
  or,
  udf,
  buildQueryBody,
  MAX_RECORDS,
  MAX_OR_CONDITIONS,
  type Query,
  type QueryInput,
} from './query.js';
export {
  parseToken,
  encodeToken,
  normaliseRestUrl,
  type Credentials,
  type RestEndpoint,
} from './connection-settings.js';
export { normaliseLookupValue } from './lookup-key.js';
export type { ApiUsageStore, MetadataCacheStore } from './persistence-ports.js';
