/**
 * The parts of its collaborators the engine uses, as structural interfaces: the Autotask client
 * (`src/autotask/`), the configuration (`src/config/`) and sources (`src/connectors/`). The real
 * implementations satisfy them; the engine never imports a concrete client, source or store.
 */
import type {
  EntityName,
  EntityRecord,
  FieldInformation,
  Filter,
  QueryBody,
  UserDefinedFieldInformation,
} from '../../autotask/types.js';
import type { WritableObject } from '../../config/objects.js';
import type { Source } from '../../connectors/source.js';

/** Read and write operations of one entity endpoint. */
export interface EngineEntityApi {
  /** Every record matching the query, following pages. */
  query(query: QueryBody): AsyncIterable<EntityRecord>;
  /** Number of records matching the filter. */
  count(filter: Filter[]): Promise<number>;
}

export interface EngineWritableEntityApi extends EngineEntityApi {
  /** Creates a record; resolves with its new id. Throws `OutcomeUnknownError` when it cannot tell. */
  create(fields: Record<string, unknown>): Promise<number>;
  /** PATCH: changes only the given fields of record `id`. */
  update(fields: { id: number } & Record<string, unknown>): Promise<number>;
}

export interface EngineClient {
  readonly companies: EngineWritableEntityApi;
  readonly contacts: EngineWritableEntityApi;
  readonly opportunities: EngineWritableEntityApi;
  readonly resources: EngineEntityApi;
  readonly metadata: {
    fields(entity: EntityName): Promise<FieldInformation[]>;
    udfs(entity: EntityName): Promise<UserDefinedFieldInformation[]>;
  };
}

/**
 * Opens the source of a sync. Called once per pass over it: the engine reads a source twice (keys
 * first, then the load), which every `Source` supports (`read()` starts from the top each time).
 */
export type OpenSource = (sync: EngineSyncConfig) => Source | Promise<Source>;

/** One sync of the configuration, as the engine reads it. */
export interface EngineSyncConfig {
  name: string;
  object: WritableObject;
  source: unknown;
  /** @default 'upsert' */
  mode?: 'create' | 'update' | 'upsert';
  /** Autotask fields forming the dedupe key; default per product.md §3. */
  key?: readonly string[];
  where?: unknown;
  fields: Record<string, unknown>;
}

export interface EngineConfig {
  syncs: readonly EngineSyncConfig[];
}
