/**
 * `createEmulator(options)`: a faithful local Autotask REST API v1.0 (API doc §13). Use it in-process
 * through `fetch` (no socket; the client's and tests' `fetch`) or over real HTTP with `listen()`.
 *
 * ```ts
 * const emu = createEmulator({ seed: 'demo' });
 * const { url } = await emu.listen({ port: 0 });   // url = http://127.0.0.1:PORT/ATServicesRest/
 * const res = await emu.fetch(`${emu.baseUrl}V1.0/Companies/0`, { headers: emulatorHeaders(emu.credentials) });
 * await emu.close();
 * ```
 */
import { systemClock, type Clock } from '../shared/clock.js';
import { silentLogger } from '../shared/logger.js';
import type { Tenant } from './contracts.js';
import { createFaultInjector } from './faults/index.js';
import type { FaultInjector } from './faults/types.js';
import { createRequestLimits } from './limits/index.js';
import type { RequestLimits } from './limits/types.js';
import { createEntitySchemas } from './metadata/index.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  validateEmulatorOptions,
  type EmulatorCredentials,
  type EmulatorOptions,
} from './options.js';
import { openTenantFile } from './persistence/sqlite-tenant-file.js';
import { fromFetchRequest, toFetchResponse, type ApiReply, type ApiRequest } from './routes/api-exchange.js';
import type { EmulatorParts } from './routes/context.js';
import { handleControlRequest, isControlPath } from './routes/control-handlers.js';
import { handleApiRequest, type Connection } from './routes/dispatch.js';
import { PagedQueryMemory } from './routes/paging.js';
import { DEFAULT_API_USER, seedTenant } from './seed/index.js';
import { listenHttp, type ListenOptions, type Listening } from './server.js';
import { StatsRecorder, type EmulatorStats } from './stats.js';
import { WebhookCallouts } from './webhooks/webhook-callouts.js';

export interface Emulator {
  /**
   * In-process, fetch-compatible handler: `emulator.fetch(url, init)` answers like the HTTP server
   * (the URL's origin is arbitrary, e.g. `emulator.baseUrl`). A dropped-connection fault makes it
   * reject with `TypeError('fetch failed')` whose `cause.code` is `ECONNRESET`, as Node's fetch does.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Serves real HTTP (loopback by default). Several listeners may run at once. */
  listen(options?: ListenOptions): Promise<Listening>;
  /**
   * REST root clients should use: `publicUrl` if set, else the first listener's URL, else
   * `http://autotask-emulator.invalid/ATServicesRest/` (fine for in-process `fetch`).
   */
  readonly baseUrl: string;
  readonly tenant: Tenant;
  /** The default API user's credentials (demo values unless overridden; not real secrets). */
  readonly credentials: EmulatorCredentials;
  /** Fault injection, settable at runtime. */
  readonly faults: FaultInjector;
  /** Limits (hourly counter, thread slots, latency), settable at runtime. */
  readonly limits: RequestLimits;
  /** Webhook callouts for Companies and Contacts: `register({ entity, webhookUrl, secretKey })`. */
  readonly webhooks: WebhookCallouts;
  /** Counts of the requests served (benchmarks read this). */
  stats(): EmulatorStats;
  /** Forgets the hourly window, rejection counts and request stats. */
  resetCounters(): void;
  /** Moves the emulator's clock forward (e.g. to let the rolling hour pass). */
  advanceTime(ms: number): void;
  /** Stops listeners and closes the data file. */
  close(): Promise<void>;
}

/** Headers that authenticate as `credentials` (§2.1). */
export function emulatorHeaders(credentials: EmulatorCredentials): Record<string, string> {
  return {
    ApiIntegrationCode: credentials.integrationCode,
    UserName: credentials.userName,
    Secret: credentials.secret,
    'Content-Type': 'application/json',
  };
}

/** A clock that can be moved forward at runtime on top of the injected one. */
class OffsetClock implements Clock {
  offset = 0;
  constructor(private readonly base: Clock) {}
  now(): number {
    return this.base.now() + this.offset;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.base.sleep(ms, signal);
  }
}

const IN_PROCESS_ORIGIN = 'http://autotask-emulator.invalid';

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  validateEmulatorOptions(options);
  const clock = new OffsetClock(options.clock ?? systemClock);
  const logger = options.logger ?? silentLogger;
  const credentials: EmulatorCredentials = { ...DEFAULT_API_USER, ...options.credentials };
  const seed = (): Tenant =>
    options.tenant ??
    seedTenant({
      seed: options.seed ?? 'demo',
      records: options.records ?? 0,
      randomSeed: options.randomSeed ?? 1,
      apiUser: credentials,
      ...(options.udfDefinitions ? { udfDefinitions: options.udfDefinitions } : {}),
    });
  const file = options.dataFile ? openTenantFile(options.dataFile, seed, credentials) : undefined;
  const tenant = file?.tenant ?? seed();
  const effective = tenant.apiUsers[0];
  const exposedCredentials: EmulatorCredentials = effective
    ? { userName: effective.userName, secret: effective.secret, integrationCode: effective.integrationCode }
    : credentials;

  const limits = createRequestLimits({
    clock,
    ...(options.hourlyLimit === undefined ? {} : { hourlyLimit: options.hourlyLimit }),
    ...(options.threadLimit === undefined ? {} : { threadLimit: options.threadLimit }),
    ...(options.threadLimitStatus === undefined ? {} : { threadLimitStatus: options.threadLimitStatus }),
    ...(options.hourlyLimitStatus === undefined ? {} : { hourlyLimitStatus: options.hourlyLimitStatus }),
    ...(options.latency === undefined ? {} : { latency: options.latency }),
  });
  // The limits do not report their thread limit; track it so forced 429s quote the current one.
  let threadLimit = options.threadLimit ?? 3;
  const setLimits = limits.set.bind(limits);
  limits.set = (o) => {
    setLimits(o);
    if (o.threadLimit !== undefined) threadLimit = o.threadLimit;
  };
  const faults = createFaultInjector(options.faults ?? {}, {
    thresholds: () => ({ hourlyLimit: limits.usage().limit, threadLimit }),
  });

  const webhooks = new WebhookCallouts({ clock, logger });
  const parts: EmulatorParts = {
    webhooks,
    tenant,
    schemas: createEntitySchemas(tenant.udfDefinitions),
    clock,
    logger,
    limits,
    faults,
    pagedQueries: new PagedQueryMemory(),
    settings: {
      notFoundStatus: options.notFoundStatus ?? 200,
      zone: {
        zoneName: options.zone?.zoneName ?? 'EMU01',
        webUrl: options.zone?.webUrl,
        ci: options.zone?.ci ?? 100001,
      },
      apiVersions: options.apiVersions ?? ['v1.0'],
      version: { majorVersion: '1', minorVersion: '0', build: '2026.1.0-emulator', customerType: 'Emulator' },
      publicUrl: options.publicUrl,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      legacyIntegrationCodeError: options.legacyIntegrationCodeError ?? false,
    },
  };
  const requestStats = new StatsRecorder();
  const stats = (): EmulatorStats => ({
    ...requestStats.snapshot(),
    limits: limits.stats(),
    faults: faults.stats(),
  });
  const resetCounters = (): void => {
    limits.reset();
    requestStats.reset();
  };
  const advanceTime = (ms: number): number => {
    clock.offset += ms;
    return clock.now();
  };
  const controlEnabled = options.controlEndpoints ?? true;

  const internalError = (error: unknown): ApiReply => {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'emulator request failed');
    return {
      status: 500,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ errors: ['An unexpected error has occurred in the emulator.'] }),
    };
  };
  const serve = async (request: ApiRequest, connection: Connection): Promise<ApiReply> => {
    try {
      if (controlEnabled && isControlPath(request.url.pathname)) {
        return await handleControlRequest(
          { stats, faults, limits, resetCounters, advanceTime },
          request,
          connection.remoteAddress,
        );
      }
      return await handleApiRequest(parts, requestStats, request, connection);
    } catch (error) {
      return internalError(error);
    }
  };
  const listeners: Listening[] = [];

  return {
    async fetch(input, init) {
      const request = fromFetchRequest(new Request(input, init));
      let dropped = false;
      const reply = await serve(request, {
        remoteAddress: undefined,
        drop: () => {
          dropped = true;
        },
      });
      if (dropped) {
        const cause = Object.assign(new Error('other side closed'), { code: 'ECONNRESET' });
        throw new TypeError('fetch failed', { cause });
      }
      return toFetchResponse(reply);
    },
    async listen(listenOptions) {
      const listening = await listenHttp(serve, listenOptions);
      listeners.push(listening);
      return listening;
    },
    get baseUrl() {
      return options.publicUrl ?? listeners[0]?.url ?? `${IN_PROCESS_ORIGIN}/ATServicesRest/`;
    },
    tenant,
    credentials: exposedCredentials,
    faults,
    limits,
    webhooks,
    stats,
    resetCounters,
    advanceTime: (ms) => void advanceTime(ms),
    async close() {
      await webhooks.close();
      await Promise.all(listeners.splice(0).map((l) => l.close()));
      file?.close();
    },
  };
}
