/**
 * `createAutotaskClient`: validates the connection settings, then composes the layers
 * (retry → hourly budget → endpoint lanes → HTTP attempt, see `request-pipeline.ts`) and the
 * resources (entities, metadata, lookups, check) into the public client.
 */
import { systemClock } from '../shared/clock.js';
import { silentLogger } from '../shared/logger.js';
import { redactText } from '../shared/redact.js';
import type {
  AutotaskClient,
  AutotaskClientOptions,
  ClientEntityMap,
  CompaniesApi,
  ContactsApi,
  OpportunitiesApi,
  ResourcesApi,
} from './client-types.js';
import { runConnectionCheck } from './connection-check.js';
import { normaliseRestUrl, resolveCredentials, type RestEndpoint } from './connection-settings.js';
import type { Company, Contact, Opportunity, Resource } from './entities/entity-records.js';
import { createEntityApi, type ClientCore } from './entities/entity-api.js';
import {
  AutotaskAuthenticationError,
  AutotaskUnexpectedResponseError,
  AutotaskUntrustedUrlError,
} from './errors.js';
import { findByValues } from './lookups.js';
import { createMetadataApi, DEFAULT_METADATA_TTL_MS } from './metadata.js';
import { createRequestPipeline, type ApiRequest, type RequestPipeline } from './request-pipeline.js';
import { DEFAULT_RETRY } from './retry.js';
import { createStatsCollector } from './stats.js';
import { createEndpointLanes } from './throttle/endpoint-lanes.js';
import { createHourlyBudget, type HourlyBudget } from './throttle/hourly-budget.js';
import type { EntityName, ThresholdInformation } from './types.js';
import { DEFAULT_DISCOVERY_URL, discoverZone, type DiscoveredZone } from './zone-discovery.js';

/** @default 120000 */
export const DEFAULT_TIMEOUT_MS = 120_000;

function isThreshold(value: unknown): value is ThresholdInformation {
  const v = value as Record<string, unknown> | null;
  return (
    !!v &&
    typeof v['externalRequestThreshold'] === 'number' &&
    typeof v['currentTimeframeRequestCount'] === 'number'
  );
}

export function createAutotaskClient(options: AutotaskClientOptions): AutotaskClient {
  const credentials = resolveCredentials(options);
  const allowInsecureHttp = options.allowInsecureHttp === true;
  const configured =
    options.url === undefined ? undefined : normaliseRestUrl(options.url, { allowInsecureHttp });
  const discovery = normaliseRestUrl(options.discoveryUrl ?? DEFAULT_DISCOVERY_URL, {
    path: 'discoveryUrl',
    allowInsecureHttp,
  });
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'autotask-client' });
  const secrets = [credentials.secret, credentials.integrationCode, options.token];
  const redact = (text: string): string => redactText(text, secrets);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be a positive integer; got ${retry.maxAttempts}`);
  }
  const ttlMs = options.metadata?.ttlMs ?? DEFAULT_METADATA_TTL_MS;
  const metadataCache = options.metadata?.cache;
  const stats = createStatsCollector();
  const lanes = createEndpointLanes({ concurrency: options.threadsPerEntity ?? 3 });

  let endpoint: RestEndpoint | undefined = configured;
  let resolving: Promise<RestEndpoint> | undefined;
  let discoveredZone: DiscoveredZone | undefined;

  // The budget reads ThresholdInformation through the pipeline, which counts calls in the budget.
  const budget: HourlyBudget = createHourlyBudget({
    ...options.budget,
    clock,
    reconcile: async () => {
      await readThreshold();
    },
    onWaitStat: (ms) => stats.countWait(ms),
    signal: options.signal,
    onWait: (info) => {
      logger.info(
        {
          until: new Date(info.until).toISOString(),
          used: info.used,
          allowed: info.allowed,
          limit: info.limit,
        },
        'autotask hourly budget share reached; waiting',
      );
      options.budget?.onWait?.(info);
    },
  });
  const pipeline = createRequestPipeline({
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    clock,
    random: options.random ?? Math.random,
    logger,
    credentials,
    impersonationResourceId: options.impersonationResourceId,
    retry,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    lanes,
    budget,
    stats,
    redact,
    trustedOrigin: () => endpoint?.origin,
    onCall: options.onCall,
    signal: options.signal,
  });

  const discover = async (refresh = false): Promise<DiscoveredZone> => {
    discoveredZone = await discoverZone({
      send: pipeline.send,
      discovery,
      username: credentials.username,
      clock,
      ttlMs,
      cache: metadataCache,
      refresh,
      usernameFromToken: options.token !== undefined,
    });
    return discoveredZone;
  };

  // A tenant can move to another zone (§1.3): the old zone then refuses the credentials with an empty
  // 401. When the zone was discovered (not configured), such a 401 asks discovery again, bypassing the
  // cache, once for all requests in flight; if the zone changed, the request is sent to the new zone
  // (a 401 means nothing was processed, so even a create may be sent again).
  let moving: Promise<RestEndpoint> | undefined;
  /** REST roots the tenant has moved away from; requests built for them go to `endpoint`. */
  const staleBases: string[] = [];
  const rediscover = (stale: RestEndpoint): Promise<RestEndpoint> => {
    if (endpoint !== undefined && endpoint.apiBase !== stale.apiBase) return Promise.resolve(endpoint);
    moving ??= discover(true)
      .then((d) => {
        if (d.endpoint.apiBase !== stale.apiBase) {
          logger.warn(
            { zone: d.zone.zoneName, url: d.endpoint.apiBase, previous: stale.apiBase },
            'autotask zone changed; following the tenant to its new zone',
          );
          staleBases.push(stale.apiBase);
        }
        endpoint = d.endpoint;
        return d.endpoint;
      })
      .finally(() => {
        moving = undefined;
      });
    return moving;
  };
  const onCurrentZone = (request: ApiRequest): ApiRequest => {
    const old = staleBases.find((base) => request.url.startsWith(base));
    return old === undefined || endpoint === undefined
      ? request
      : { ...request, url: endpoint.apiBase + request.url.slice(old.length) };
  };
  const send: RequestPipeline['send'] = async (original) => {
    const request = onCurrentZone(original);
    const before = endpoint;
    try {
      return await pipeline.send(request);
    } catch (error) {
      // The zone changed while this request waited for its turn: nothing was sent; send it there.
      if (error instanceof AutotaskUntrustedUrlError && onCurrentZone(request) !== request)
        return send(request);
      if (
        !(error instanceof AutotaskAuthenticationError) ||
        configured !== undefined ||
        !request.authenticated ||
        before === undefined ||
        !request.url.startsWith(before.apiBase)
      )
        throw error;
      const current = await rediscover(before);
      if (current.apiBase === before.apiBase) throw error;
      return pipeline.send(onCurrentZone(request));
    }
  };

  const resolveEndpoint = (): Promise<RestEndpoint> => {
    if (endpoint) return Promise.resolve(endpoint);
    resolving ??= discover()
      .then((d) => {
        endpoint = d.endpoint;
        logger.info({ zone: d.zone.zoneName, url: d.endpoint.apiBase }, 'autotask zone discovered');
        return d.endpoint;
      })
      .finally(() => {
        resolving = undefined;
      });
    return resolving;
  };

  const readThreshold = async (): Promise<ThresholdInformation> => {
    const { apiBase } = await resolveEndpoint();
    const url = `${apiBase}ThresholdInformation`;
    const res = await send({
      method: 'GET',
      url,
      entity: 'ThresholdInformation',
      operation: 'threshold',
      lanes: ['ThresholdInformation'],
      kind: 'read',
      budget: 'record',
      authenticated: true,
    });
    if (!isThreshold(res.json)) {
      throw new AutotaskUnexpectedResponseError(`GET ${url} did not return threshold information.`, {
        status: res.status,
        errors: [],
        request: { method: 'GET', url, entity: 'ThresholdInformation' },
      });
    }
    budget.reconcileWith(res.json);
    return res.json;
  };

  const core: ClientCore = { send, endpoint: resolveEndpoint };
  const companies: CompaniesApi = createEntityApi<Company>(core, 'Companies');
  const contacts: ContactsApi = createEntityApi<Contact>(core, 'Contacts');
  const opportunities: OpportunitiesApi = createEntityApi<Opportunity>(core, 'Opportunities');
  const { create: _noCreate, ...resourceApi } = createEntityApi<Resource>(core, 'Resources');
  const resources: ResourcesApi = resourceApi;
  const apis: ClientEntityMap = {
    Companies: companies,
    Contacts: contacts,
    Opportunities: opportunities,
    Resources: resources,
  };

  const metadata = createMetadataApi({
    send,
    target: async () => {
      const e = await resolveEndpoint();
      return { apiBase: e.apiBase, tenantKey: `${e.origin}|${credentials.username.toLowerCase()}` };
    },
    clock,
    ttlMs,
    cache: metadataCache,
    stats,
  });

  const budgetView = () => {
    const s = budget.snapshot();
    return { used: s.used, limit: s.limit, allowed: s.allowed };
  };

  return {
    check: () =>
      runConnectionCheck({
        send: pipeline.send,
        username: credentials.username,
        configured,
        crossCheck:
          configured !== undefined &&
          (options.discoveryUrl !== undefined ||
            /(^|\.)autotask\.net$/i.test(new URL(configured.origin).hostname)),
        discover: () =>
          discoveredZone && (configured === undefined || discoveredZone.endpoint.origin === configured.origin)
            ? Promise.resolve(discoveredZone)
            : discover(),
        adopt: (e) => {
          endpoint = e;
        },
        threshold: readThreshold,
        budget: () => {
          const b = budgetView();
          return { used: b.used, limit: b.limit };
        },
      }),
    companies,
    contacts,
    opportunities,
    resources,
    entity: <E extends EntityName>(name: E) => apis[name],
    findByValues: (entity, field, values, findOptions) =>
      findByValues(apis[entity] as never, field, values, findOptions),
    metadata,
    threshold: readThreshold,
    budget: budgetView,
    stats: () => stats.snapshot(),
    baseUrl: async () => (await resolveEndpoint()).apiBase,
  };
}
