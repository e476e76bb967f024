/**
 * Entity metadata (§5): field definitions, UDF definitions, capabilities and picklists. Each answer
 * is cached for `ttlMs`, in memory and in the `MetadataCacheStore` when given, so that a run does
 * not re-spend calls on metadata that has not changed. Concurrent reads share one call.
 */
import type { Clock } from '../shared/clock.js';
import type { MetadataApi, Picklist } from './client-types.js';
import { AutotaskUnexpectedResponseError } from './errors.js';
import { normaliseLookupValue } from './lookup-key.js';
import type { MetadataCacheStore } from './persistence-ports.js';
import type { RequestPipeline } from './request-pipeline.js';
import type { StatsCollector } from './stats.js';
import {
  ENTITY_NAMES,
  type EntityInformation,
  type EntityName,
  type FieldInformation,
  type PicklistValue,
  type UserDefinedFieldInformation,
} from './types.js';

export const DEFAULT_METADATA_TTL_MS = 86_400_000;

type Kind = 'info' | 'fields' | 'udfs';
const PATHS: Record<Kind, string> = {
  info: 'entityInformation',
  fields: 'entityInformation/fields',
  udfs: 'entityInformation/userDefinedFields',
};

/** Builds the two-way lookup of a picklist. */
export function buildPicklist(field: string, values: readonly PicklistValue[]): Picklist {
  const byValue = new Map<string, PicklistValue>();
  const byLabel = new Map<string, PicklistValue[]>();
  for (const v of values) {
    byValue.set(String(v.value), v);
    const key = normaliseLookupValue(v.label);
    const list = byLabel.get(key);
    if (list) list.push(v);
    else byLabel.set(key, [v]);
  }
  return {
    field,
    values,
    byValue,
    byLabel,
    valueOf(label) {
      const candidates = byLabel.get(normaliseLookupValue(label)) ?? [];
      const active = candidates.filter((c) => c.isActive);
      const pick = active.length > 0 ? active : candidates;
      return pick.length === 1 ? pick[0]?.value : undefined;
    },
    labelOf(value) {
      return byValue.get(String(value))?.label;
    },
  };
}

export function createMetadataApi(deps: {
  send: RequestPipeline['send'];
  /** REST base and a key identifying the tenant (origin + username). */
  target: () => Promise<{ apiBase: string; tenantKey: string }>;
  clock: Clock;
  ttlMs: number;
  cache: MetadataCacheStore | undefined;
  stats: StatsCollector;
}): MetadataApi {
  const memo = new Map<string, { value: unknown; storedAt: number }>();
  const inflight = new Map<string, Promise<unknown>>();
  /** Entries stored at or before this time are stale (the store cannot delete). */
  const invalidatedAt = new Map<EntityName, number>();

  const load = async (entity: EntityName, kind: Kind): Promise<unknown> => {
    const { apiBase, tenantKey } = await deps.target();
    const key = `autotask-metadata:v1:${tenantKey}:${entity}:${kind}`;
    const now = deps.clock.now();
    const floor = invalidatedAt.get(entity) ?? Number.NEGATIVE_INFINITY;
    const fresh = (e: { storedAt: number } | undefined): boolean =>
      e !== undefined && now - e.storedAt < deps.ttlMs;
    const hit = memo.get(key); // invalidate() clears the memo
    if (hit && fresh(hit)) {
      deps.stats.countMetadataHit();
      return hit.value;
    }
    const stored = deps.cache?.read(key);
    if (stored && fresh(stored) && stored.storedAt > floor) {
      memo.set(key, stored);
      deps.stats.countMetadataHit();
      return stored.value;
    }
    const pending = inflight.get(key);
    if (pending) return pending;
    const url = `${apiBase}${entity}/${PATHS[kind]}`;
    const promise = (async () => {
      const res = await deps.send({
        method: 'GET',
        url,
        entity,
        operation: 'metadata',
        lanes: [entity],
        kind: 'read',
        budget: 'acquire',
        authenticated: true,
      });
      const body = res.json as Record<string, unknown> | null;
      const value = kind === 'info' ? body?.['info'] : body?.['fields'];
      const ok = kind === 'info' ? !!value && typeof value === 'object' : Array.isArray(value);
      if (!ok) {
        throw new AutotaskUnexpectedResponseError(
          `GET ${url} did not return ${kind === 'info' ? "an 'info' object" : "a 'fields' array"}.`,
          { status: res.status, errors: [], request: { method: 'GET', url, entity } },
        );
      }
      const storedAt = deps.clock.now();
      memo.set(key, { value, storedAt });
      deps.cache?.write(key, value, storedAt);
      return value;
    })().finally(() => inflight.delete(key));
    inflight.set(key, promise);
    return promise;
  };

  const fields = async (entity: EntityName) => (await load(entity, 'fields')) as FieldInformation[];
  const udfs = async (entity: EntityName) => (await load(entity, 'udfs')) as UserDefinedFieldInformation[];

  return {
    fields,
    udfs,
    info: async (entity) => (await load(entity, 'info')) as EntityInformation,
    async picklist(entity, field, options = {}) {
      const list: readonly (FieldInformation | UserDefinedFieldInformation)[] =
        options.udf === true ? await udfs(entity) : await fields(entity);
      const wanted = field.toLowerCase();
      const def = list.find((f) => f.name.toLowerCase() === wanted);
      if (!def || !def.isPickList || !def.picklistValues) return undefined;
      return buildPicklist(def.name, def.picklistValues);
    },
    invalidate(entity) {
      const now = deps.clock.now();
      for (const e of entity === undefined ? ENTITY_NAMES : [entity]) invalidatedAt.set(e, now);
      for (const key of [...memo.keys()]) {
        if (entity === undefined || key.includes(`:${entity}:`)) memo.delete(key);
      }
    },
  };
}
