/**
 * The HTTP side of `serve` (a Hono app): one endpoint per configured intake.
 *
 * - `POST /intake/{name}`: a form submission (JSON or form-encoded) or an Autotask webhook callout.
 *   Checks, in order: rate limit (429), size (413), authentication (401), body (400/415); then the
 *   item is committed to the queue and the reply is `202 {id, status, statusUrl}`, or `200` with the
 *   earlier item's id for a repeated `Idempotency-Key` or an identical body within the window.
 * - `GET /intake/{name}/submissions/{id}`: the item's state and outcome (same credentials; a signed
 *   GET may be re-sent: reading twice changes nothing).
 * - `GET /healthz`: liveness and queue counts (no secrets, no bodies).
 */
import { Hono, type Context } from 'hono';

import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { FormIntakeSpec, IntakeSpec } from '../intake-config-schema.js';
import type { IntakeItem, IntakeQueue } from '../queue/intake-queue.js';
import { HOOK_SIGNATURE_HEADER, verifyHookSignature } from '../webhooks/hook-signature.js';
import { eventIdempotencyKey, parseWebhookEvent } from '../webhooks/webhook-event.js';
import { RateLimiter } from './rate-limiter.js';
import { parseSubmission, readLimitedBody } from './read-body.js';
import { RequestAuthenticator, safeEqual } from './request-auth.js';

export interface IntakeAppOptions {
  intakes: readonly IntakeSpec[];
  queue: IntakeQueue;
  clock: Clock;
  logger: Logger;
  /** Called after an item is queued (wakes the workers). */
  onQueued?: (item: IntakeItem) => void;
}

interface AppEnv {
  Bindings: { remoteAddress: string | undefined };
}

const MAX_IDEMPOTENCY_KEY = 200;

interface Endpoint {
  spec: IntakeSpec;
  limiter: RateLimiter;
  auth: RequestAuthenticator | undefined;
}

function problem(
  c: Context<AppEnv>,
  status: 400 | 401 | 404 | 413 | 415 | 429 | 503,
  code: string,
  message: string,
) {
  return c.json({ error: { code, message } }, status);
}

/** What the status endpoint shows of an item (never the body: it may hold personal data). */
export function itemView(item: IntakeItem, statusUrl: string): Record<string, unknown> {
  return {
    id: item.id,
    intake: item.intake,
    kind: item.kind,
    status: item.status,
    receivedAt: new Date(item.receivedAt).toISOString(),
    attempts: item.attempts,
    nextAttemptAt: item.status === 'queued' ? new Date(item.nextAttemptAt).toISOString() : null,
    lastError: item.lastError,
    outcome: item.outcome,
    runId: item.runId,
    statusUrl,
  };
}

export function createIntakeApp(options: IntakeAppOptions): Hono<AppEnv> {
  const { queue, clock, logger } = options;
  const endpoints = new Map<string, Endpoint>();
  for (const spec of options.intakes)
    endpoints.set(spec.name, {
      spec,
      limiter: new RateLimiter(spec.rateLimit.perMinute, clock),
      auth: spec.type === 'form' ? new RequestAuthenticator(spec.auth, clock) : undefined,
    });

  const app = new Hono<AppEnv>();
  const statusUrl = (name: string, id: number): string =>
    `/intake/${encodeURIComponent(name)}/submissions/${id}`;

  app.get('/healthz', (c) => c.json({ status: 'ok', queue: queue.counts() }));

  app.post('/intake/:name', async (c) => {
    const endpoint = endpoints.get(c.req.param('name'));
    if (endpoint === undefined)
      return problem(c, 404, 'UNKNOWN_INTAKE', 'no intake of that name is configured');
    const { spec } = endpoint;
    const waitMs = endpoint.limiter.take(c.env.remoteAddress ?? 'unknown');
    if (waitMs > 0) {
      c.header('Retry-After', String(Math.ceil(waitMs / 1000)));
      return problem(c, 429, 'RATE_LIMITED', `too many requests: retry after ${Math.ceil(waitMs / 1000)} s`);
    }
    const body = await readLimitedBody(c.req.raw, spec.maxBodyBytes);
    if (!body.ok) return problem(c, body.status, body.code, body.message);

    let fields: Record<string, unknown>;
    let idempotencyKey: string | undefined;
    if (spec.type === 'autotask-webhook') {
      if (!verifyHookSignature(spec.secret, body.raw, c.req.header(HOOK_SIGNATURE_HEADER)))
        return problem(
          c,
          401,
          'BAD_SIGNATURE',
          `${HOOK_SIGNATURE_HEADER} does not match the body: check the webhook's secret key`,
        );
      const parsed = parseSubmission('application/json', body.raw);
      if (!parsed.ok) return problem(c, parsed.status, parsed.code, parsed.message);
      const event = parseWebhookEvent(parsed.fields, spec.object === 'Contact' ? 'Contact' : 'Company');
      if (!event.ok) return problem(c, 400, 'BAD_CALLOUT', event.message);
      fields = event.event as unknown as Record<string, unknown>;
      idempotencyKey = eventIdempotencyKey(event.event);
    } else {
      const verdict = endpoint.auth?.verify(c.req.raw.headers, body.raw) ?? { ok: true };
      if (!verdict.ok) return problem(c, 401, verdict.code, verdict.message);
      const parsed = parseSubmission(c.req.header('content-type') ?? null, body.raw);
      if (!parsed.ok) return problem(c, parsed.status, parsed.code, parsed.message);
      fields = parsed.fields;
      idempotencyKey = c.req.header('idempotency-key')?.trim() || undefined;
      if (idempotencyKey !== undefined && idempotencyKey.length > MAX_IDEMPOTENCY_KEY)
        return problem(
          c,
          400,
          'BAD_IDEMPOTENCY_KEY',
          `Idempotency-Key is longer than ${MAX_IDEMPOTENCY_KEY} characters`,
        );
    }
    let result;
    try {
      result = queue.enqueue({
        intake: spec.name,
        kind: spec.type === 'form' ? 'form' : 'webhook',
        body: fields,
        idempotencyKey,
        dedupeWindowMs: spec.type === 'form' ? dedupeWindow(spec) : 24 * 3_600_000,
      });
    } catch (error) {
      logger.error(
        { intake: spec.name, err: error instanceof Error ? error.message : String(error) },
        'queue write failed',
      );
      return problem(c, 503, 'QUEUE_UNAVAILABLE', 'the submission could not be stored: retry later');
    }
    if (result.created) options.onQueued?.(result.item);
    const location = statusUrl(spec.name, result.item.id);
    const view = {
      ...itemView(result.item, location),
      ...(result.duplicateOf === undefined ? {} : { duplicateOf: result.duplicateOf }),
    };
    c.header('Location', location);
    return c.json(view, result.created ? 202 : 200);
  });

  app.get('/intake/:name/submissions/:id', (c) => {
    const endpoint = endpoints.get(c.req.param('name'));
    if (endpoint === undefined)
      return problem(c, 404, 'UNKNOWN_INTAKE', 'no intake of that name is configured');
    if (!statusAllowed(endpoint, c.req.raw.headers, clock))
      return problem(c, 401, 'UNAUTHENTICATED', 'send the intake credentials (see docs/intake.md)');
    const id = Number(c.req.param('id'));
    const item = Number.isSafeInteger(id) ? queue.get(id) : undefined;
    if (item === undefined || item.intake !== endpoint.spec.name)
      return problem(c, 404, 'UNKNOWN_SUBMISSION', 'no submission of that id in this intake');
    return c.json(itemView(item, statusUrl(endpoint.spec.name, item.id)));
  });

  app.notFound((c) =>
    problem(c, 404, 'NOT_FOUND', 'POST /intake/{name} or GET /intake/{name}/submissions/{id}'),
  );
  app.onError((error, c) => {
    logger.error({ err: error.message }, 'intake request failed');
    return c.json({ error: { code: 'INTERNAL_ERROR', message: 'the request could not be handled' } }, 500);
  });
  return app;
}

function dedupeWindow(spec: FormIntakeSpec): number {
  return spec.idempotencyWindowSeconds * 1000;
}

/**
 * The status endpoint takes the intake's credentials: the bearer secret, or for an HMAC intake a
 * signature of the empty body (re-sending it is allowed: a GET changes nothing). Webhook intakes:
 * `Authorization: Bearer <webhook secret>`.
 */
function statusAllowed(endpoint: Endpoint, headers: Headers, clock: Clock): boolean {
  const spec = endpoint.spec;
  const bearer = /^Bearer\s+(.+)$/i.exec((headers.get('authorization') ?? '').trim())?.[1];
  const secret = spec.type === 'autotask-webhook' ? spec.secret : spec.auth.secret;
  if (bearer !== undefined) return safeEqual(bearer, secret);
  if (spec.type === 'autotask-webhook' || spec.auth.type === 'bearer') return false;
  // HMAC: a fresh authenticator each time, so that a re-sent status query is not a replay.
  return new RequestAuthenticator(spec.auth, clock).verify(headers, new Uint8Array(0)).ok;
}
