/**
 * The request pipeline, octokit-style layers around one HTTP attempt:
 *
 *   retry  →  hourly budget  →  endpoint lanes  →  attempt (headers, fetch, error factory, onCall)
 *
 * Retry is outermost so a backoff sleep holds neither a budget slot nor a lane slot; every attempt
 * is counted by the budget and runs inside its endpoint's lane.
 */
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { CallEvent, Operation, RetryOptions } from './client-types.js';
import type { Credentials } from './connection-settings.js';
import { hasOrigin } from './connection-settings.js';
import {
  AutotaskRateLimitError,
  AutotaskUnexpectedResponseError,
  AutotaskUntrustedUrlError,
  createAutotaskApiError,
  parseRetryAfter,
  type RequestContext,
} from './errors.js';
import { sendHttp } from './internal/http-transport.js';
import { decideRetry, type RequestKind } from './retry.js';
import type { StatsCollector } from './stats.js';
import type { EndpointLanes } from './throttle/endpoint-lanes.js';
import type { BudgetTicket, HourlyBudget } from './throttle/hourly-budget.js';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Absolute URL. */
  url: string;
  /** Entity or endpoint name, for events, stats and errors. */
  entity: string;
  operation: Operation;
  /** Concurrency lanes the request holds (entity endpoints). */
  lanes: readonly string[];
  kind: RequestKind;
  body?: unknown;
  /**
   * `acquire`: wait for budget and count the call; `record`: count without waiting (the
   * ThresholdInformation read the budget itself needs); `none`: not an API call Autotask counts.
   */
  budget: 'acquire' | 'record' | 'none';
  /** Send the credential headers; they only ever go to `trustedOrigin`. */
  authenticated: boolean;
  /** Send `ImpersonationResourceId` (writes only). */
  impersonate?: boolean;
  /** Called synchronously just before each attempt is handed to `fetch` (see `CreateOptions`). */
  onSend?: () => void;
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON body; null when the body was empty. */
  json: unknown;
}

export interface RequestPipeline {
  send: (request: ApiRequest) => Promise<ApiResponse>;
}

export function createRequestPipeline(deps: {
  fetch: typeof fetch;
  clock: Clock;
  random: () => number;
  logger: Logger;
  credentials: Credentials;
  impersonationResourceId: number | undefined;
  retry: Required<RetryOptions>;
  timeoutMs: number;
  lanes: EndpointLanes;
  budget: HourlyBudget;
  stats: StatsCollector;
  redact: (text: string) => string;
  /** Origin credentials may be sent to; undefined until the zone is known. */
  trustedOrigin: () => string | undefined;
  onCall: ((event: CallEvent) => void) | undefined;
  signal: AbortSignal | undefined;
}): RequestPipeline {
  const { clock, logger } = deps;

  const headersFor = (request: ApiRequest): Record<string, string> => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (request.authenticated) {
      headers['ApiIntegrationCode'] = deps.credentials.integrationCode;
      headers['UserName'] = deps.credentials.username;
      headers['Secret'] = deps.credentials.secret;
      if (request.impersonate === true && deps.impersonationResourceId !== undefined) {
        headers['ImpersonationResourceId'] = String(deps.impersonationResourceId);
      }
    }
    return headers;
  };

  const attemptOnce = async (
    request: ApiRequest,
    attempt: number,
    ticket: BudgetTicket | undefined,
  ): Promise<ApiResponse> => {
    const context: RequestContext = {
      method: request.method,
      url: deps.redact(request.url),
      entity: request.entity,
    };
    if (request.authenticated) {
      const origin = deps.trustedOrigin();
      if (origin === undefined || !hasOrigin(request.url, origin)) {
        throw new AutotaskUntrustedUrlError(
          `Refusing to send Autotask credentials to ${context.url}: it is not on the configured origin ${origin ?? '(none)'}.`,
          { url: context.url, expectedOrigin: origin ?? '' },
        );
      }
    }
    if (request.onSend !== undefined) {
      // Stopped while waiting for the lane: nothing is sent, so nothing is marked sent.
      if (deps.signal?.aborted) throw deps.signal.reason;
      request.onSend();
    }
    if (request.budget === 'record') deps.budget.record();
    ticket?.sent();
    const started = clock.now();
    let status = 0;
    try {
      const res = await sendHttp({
        fetch: deps.fetch,
        url: request.url,
        init: {
          method: request.method,
          headers: headersFor(request),
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        },
        timeoutMs: deps.timeoutMs,
        context,
        redact: deps.redact,
        signal: deps.signal,
      });
      status = res.status;
      if (res.status >= 200 && res.status < 300) {
        const text = res.bodyText.trim();
        if (text === '') return { status: res.status, json: null };
        try {
          return { status: res.status, json: JSON.parse(text) as unknown };
        } catch {
          throw new AutotaskUnexpectedResponseError(
            `Autotask answered ${context.method} ${context.url} with HTTP ${res.status} but the body is not JSON (${deps.redact(text.slice(0, 120))}). Is the URL an Autotask REST root?`,
            { status: res.status, errors: [], request: context },
          );
        }
      }
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), clock.now());
      throw createAutotaskApiError({
        status: res.status,
        bodyText: deps.redact(res.bodyText),
        request: context,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    } finally {
      const durationMs = clock.now() - started;
      const snap = deps.budget.snapshot();
      deps.stats.countCall(request.entity, request.operation);
      logger.debug(
        { method: context.method, url: context.url, status, durationMs, attempt },
        'autotask call',
      );
      deps.onCall?.({
        method: request.method,
        entity: request.entity,
        operation: request.operation,
        url: context.url,
        status,
        durationMs,
        attempt,
        budget: { used: snap.used, limit: snap.limit },
      });
    }
  };

  const send = async (request: ApiRequest): Promise<ApiResponse> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const ticket = request.budget === 'acquire' ? await deps.budget.acquire() : undefined;
        try {
          return await deps.lanes.run(request.lanes, () => attemptOnce(request, attempt, ticket));
        } finally {
          ticket?.release(); // no-op once sent
        }
      } catch (error) {
        if (deps.signal?.aborted) throw deps.signal.reason;
        if (error instanceof AutotaskRateLimitError) deps.budget.markStale();
        const decision = decideRetry({
          error,
          attempt,
          kind: request.kind,
          options: deps.retry,
          random: deps.random(),
        });
        if (!decision.retry) throw decision.error;
        deps.stats.countRetry();
        logger.warn(
          {
            method: request.method,
            url: deps.redact(request.url),
            attempt,
            delayMs: decision.delayMs,
            code: (error as { code?: unknown }).code,
          },
          'autotask call failed; retrying',
        );
        await clock.sleep(decision.delayMs, deps.signal);
      }
    }
  };

  return { send };
}
