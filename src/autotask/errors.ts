/**
 * Every error the Autotask client raises, and the one factory (`createAutotaskApiError`) that turns an
 * HTTP response into one of them. Messages say what happened, where (method + redacted URL + entity)
 * and what to do; nothing here may hold a credential (callers redact URLs and bodies first).
 */
import { AppError } from '../shared/errors.js';

/** What a caller should do next (Singer's grouping): try again later, skip the record, or stop. */
export type Disposition = 'retry' | 'skip' | 'abort';

/** Where a request went; `url` is always redacted. */
export interface RequestContext {
  method: string;
  url: string;
  /** Entity endpoint (`Companies`, ...) or a non-entity endpoint name (`Version`, `ThresholdInformation`). */
  entity?: string;
}

/** What every error made from a response knows: its status, Autotask's messages and the request. */
export interface ApiErrorInit {
  status: number;
  /** Autotask's own messages, verbatim. */
  errors: readonly string[];
  request: RequestContext;
}

/** An `ApiErrorInit` of a response that may say when to try again. */
export interface RetryableApiErrorInit extends ApiErrorInit {
  /** Milliseconds Autotask asked us to wait (`Retry-After`), when it said. */
  retryAfterMs?: number;
}

/** Base of all client errors. */
export abstract class AutotaskError extends AppError {
  /** What the caller should do with the record or the run. */
  abstract readonly disposition: Disposition;
}

/** A response from Autotask that is not a success. */
export class AutotaskApiError extends AutotaskError {
  readonly disposition: Disposition = 'abort';
  readonly status: number;
  /** Autotask's own messages (`{"errors":[...]}` or `{"Message":...}`), kept verbatim. */
  readonly errors: readonly string[];
  readonly request: RequestContext;

  constructor(
    code: string,
    message: string,
    init: ApiErrorInit & { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(code, message, {
      cause: init.cause,
      details: {
        status: init.status,
        errors: init.errors,
        method: init.request.method,
        url: init.request.url,
        ...(init.request.entity === undefined ? {} : { entity: init.request.entity }),
        ...init.details,
      },
    });
    this.status = init.status;
    this.errors = init.errors;
    this.request = init.request;
  }
}

/** Why authentication failed, as far as it can be told (Autotask answers most cases with an empty 401). */
export type AuthenticationFailureReason =
  /** Zone discovery does not know this username. */
  | 'unknown-user'
  /** Autotask said the integration code (tracking identifier) is invalid. */
  | 'bad-integration-code'
  /** An empty 401: wrong secret, wrong integration code, a user that is not API-only, or the wrong zone. */
  | 'rejected';

/** 401, or zone discovery not knowing the user. Stops the run. */
export class AutotaskAuthenticationError extends AutotaskApiError {
  override readonly disposition = 'abort';
  readonly reason: AuthenticationFailureReason;
  /** The causes that fit what Autotask answered, most likely first. */
  readonly likelyCauses: readonly string[];
  constructor(
    message: string,
    init: ApiErrorInit & { reason: AuthenticationFailureReason; likelyCauses: readonly string[] },
  ) {
    super('AUTOTASK_AUTHENTICATION_FAILED', message, {
      ...init,
      details: { reason: init.reason, likelyCauses: init.likelyCauses },
    });
    this.reason = init.reason;
    this.likelyCauses = init.likelyCauses;
  }
}

/** 403, or a 500 saying the API user's security level does not allow the action. */
export class AutotaskPermissionError extends AutotaskApiError {
  override readonly disposition = 'abort';
  constructor(message: string, init: ApiErrorInit) {
    super('AUTOTASK_PERMISSION_DENIED', message, init);
  }
}

/** Autotask refused the record (required field, bad picklist value, business rule...). Skip the record. */
export class AutotaskValidationError extends AutotaskApiError {
  override readonly disposition = 'skip';
  constructor(message: string, init: ApiErrorInit) {
    super('AUTOTASK_VALIDATION_FAILED', message, init);
  }
}

/** 404: a record that does not exist, or (HTML body) a route this URL does not serve. */
export class AutotaskNotFoundError extends AutotaskApiError {
  override readonly disposition: Disposition = 'skip';
  /** True when the body was an HTML page: the URL is not an Autotask REST route (wrong URL or verb). */
  readonly routeNotFound: boolean;
  constructor(message: string, init: ApiErrorInit & { routeNotFound: boolean }) {
    super('AUTOTASK_NOT_FOUND', message, { ...init, details: { routeNotFound: init.routeNotFound } });
    this.routeNotFound = init.routeNotFound;
    if (init.routeNotFound) this.disposition = 'abort';
  }
}

/** 405: the route exists but not for this verb (a client bug or an entity that does not allow it). */
export class AutotaskMethodNotAllowedError extends AutotaskApiError {
  override readonly disposition = 'abort';
  constructor(message: string, init: ApiErrorInit) {
    super('AUTOTASK_METHOD_NOT_ALLOWED', message, init);
  }
}

/** 429 or a message saying the tenant's hourly request threshold was exceeded. */
export class AutotaskRateLimitError extends AutotaskApiError {
  override readonly disposition = 'retry';
  /** Milliseconds Autotask asked us to wait (`Retry-After`), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, init: RetryableApiErrorInit) {
    super('AUTOTASK_RATE_LIMITED', message, { ...init, details: { retryAfterMs: init.retryAfterMs } });
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** More than the allowed concurrent requests on one entity endpoint (`Itgenatr005`, any status). */
export class AutotaskThreadLimitError extends AutotaskApiError {
  override readonly disposition = 'retry';
  readonly retryAfterMs: number | undefined;
  constructor(message: string, init: RetryableApiErrorInit) {
    super('AUTOTASK_THREAD_LIMIT', message, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 5xx without a business message ("An unexpected error has occurred", HTML, empty). */
export class AutotaskServerError extends AutotaskApiError {
  override readonly disposition = 'retry';
  constructor(message: string, init: ApiErrorInit) {
    super('AUTOTASK_SERVER_ERROR', message, init);
  }
}

/** A 200 whose body is not what the API documents (not JSON, missing keys). */
export class AutotaskUnexpectedResponseError extends AutotaskApiError {
  override readonly disposition = 'abort';
  constructor(message: string, init: ApiErrorInit) {
    super('AUTOTASK_UNEXPECTED_RESPONSE', message, init);
  }
}

/**
 * The connection failed. `requestSent` is false when it provably failed before the request left.
 * A host name that does not resolve (`hostNotFound`) is not retried: a typo in the URL does not heal
 * by waiting, so the caller hears of it at once.
 */
export class AutotaskConnectionError extends AutotaskError {
  readonly disposition: Disposition;
  readonly requestSent: boolean;
  /** True when DNS says the host does not exist (`ENOTFOUND`). */
  readonly hostNotFound: boolean;
  readonly request: RequestContext;
  constructor(
    message: string,
    init: {
      request: RequestContext;
      requestSent: boolean;
      /** @default false */
      hostNotFound?: boolean;
      /** False when trying again cannot help (a port `fetch` refuses to use). @default !hostNotFound */
      retryable?: boolean;
      cause?: unknown;
    },
  ) {
    const hostNotFound = init.hostNotFound === true;
    const retryable = init.retryable ?? !hostNotFound;
    super('AUTOTASK_CONNECTION_FAILED', message, {
      cause: init.cause,
      details: { ...init.request, requestSent: init.requestSent, hostNotFound },
    });
    this.requestSent = init.requestSent;
    this.hostNotFound = hostNotFound;
    this.disposition = retryable ? 'retry' : 'abort';
    this.request = init.request;
  }
}

/** No response within the configured timeout. */
export class AutotaskTimeoutError extends AutotaskError {
  readonly disposition = 'retry';
  readonly request: RequestContext;
  constructor(message: string, init: { request: RequestContext; timeoutMs: number }) {
    super('AUTOTASK_TIMEOUT', message, { details: { ...init.request, timeoutMs: init.timeoutMs } });
    this.request = init.request;
  }
}

/**
 * A create may or may not have been written (timeout, dropped connection or 5xx after the body was
 * sent). Look the record up by its key before trying again.
 */
export class AutotaskOutcomeUnknownError extends AutotaskError {
  readonly disposition = 'retry';
  readonly request: RequestContext;
  constructor(message: string, init: { request: RequestContext; cause: unknown }) {
    super('AUTOTASK_OUTCOME_UNKNOWN', message, { cause: init.cause, details: { ...init.request } });
    this.request = init.request;
  }
}

/** The hourly budget share is used up and the client was told to fail fast instead of waiting. */
export class AutotaskBudgetExhaustedError extends AutotaskError {
  readonly disposition = 'retry';
  /** Epoch ms when the client expects room for another call. */
  readonly until: number;
  constructor(message: string, init: { until: number; used: number; allowed: number; limit: number }) {
    super('AUTOTASK_BUDGET_EXHAUSTED', message, { details: { ...init } });
    this.until = init.until;
  }
}

/** A query the API would refuse (more than one UDF condition, more than 500 OR conditions, ...). */
export class AutotaskQueryError extends AutotaskError {
  readonly disposition = 'abort';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('AUTOTASK_QUERY_INVALID', message, { details });
  }
}

/** The configured URL does not serve the Autotask REST API, or serves another zone than the user's. */
export class AutotaskWrongUrlError extends AutotaskError {
  readonly disposition = 'abort';
  constructor(
    message: string,
    details: { url: string; reason: 'not-autotask' | 'wrong-zone' | 'unreachable'; expectedUrl?: string },
    cause?: unknown,
  ) {
    super('AUTOTASK_WRONG_URL', message, { cause, details });
  }
}

/** A URL from a response (nextPageUrl, zone url) points somewhere credentials must not go. */
export class AutotaskUntrustedUrlError extends AutotaskError {
  readonly disposition = 'abort';
  constructor(message: string, details: { url: string; expectedOrigin: string }) {
    super('AUTOTASK_UNTRUSTED_URL', message, { details });
  }
}

/** The disposition of any error: client errors carry one; anything else is a bug → abort. */
export function dispositionOf(error: unknown): Disposition {
  return error instanceof AutotaskError ? error.disposition : 'abort';
}

// ---------------------------------------------------------------------------------------------
// The factory
// ---------------------------------------------------------------------------------------------

const THREAD_LIMIT = /itgenatr005|thread threshold|threads? (limit|threshold)/i;
const RATE_LIMIT =
  /request threshold|requests? (per hour|limit).*exceeded|threshold.*exceeded|too many requests/i;
const PERMISSION =
  /does not have the adequate permissions|not have (the )?(required|adequate) permission|not authori[sz]ed|access denied/i;
const UNEXPECTED =
  /unexpected error has occurred|error id:|internal server error|service unavailable|timeout expired/i;
const INTEGRATION_CODE = /integrationcode is invalid|integration code is invalid/i;
const ZONE_UNKNOWN = /zone information could not be determined/i;

/** The messages an error body carries: `{"errors":[...]}` (strings or `{message}`), `{"Message"}`, text. */
export function parseErrorMessages(bodyText: string): {
  messages: string[];
  html: boolean;
  /** The body was Autotask's JSON envelope (not HTML, plain text or empty). */
  structured: boolean;
} {
  const text = bodyText.trim();
  if (text === '') return { messages: [], html: false, structured: false };
  if (/^<(!doctype|html|\?xml|head|body)/i.test(text) || /<\/html>/i.test(text)) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return { messages: title ? [title] : [], html: true, structured: false };
  }
  try {
    const body = JSON.parse(text) as unknown;
    const messages: string[] = [];
    if (body && typeof body === 'object') {
      const record = body as Record<string, unknown>;
      const errors = record['errors'] ?? record['Errors'];
      if (Array.isArray(errors)) {
        for (const e of errors) {
          if (typeof e === 'string') messages.push(e);
          else if (e && typeof e === 'object') {
            const m = (e as Record<string, unknown>)['message'] ?? (e as Record<string, unknown>)['Message'];
            messages.push(typeof m === 'string' ? m : JSON.stringify(e));
          }
        }
      }
      for (const key of ['Message', 'message', 'ExceptionMessage']) {
        const m = record[key];
        if (typeof m === 'string' && !messages.includes(m)) messages.push(m);
      }
    } else if (typeof body === 'string') messages.push(body);
    return { messages, html: false, structured: messages.length > 0 };
  } catch {
    return { messages: [text.slice(0, 500)], html: false, structured: false };
  }
}

/** Parses `Retry-After` (seconds or an HTTP date); ignores values that are negative or over an hour. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  let ms: number;
  if (Number.isFinite(seconds)) ms = seconds * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  }
  return ms >= 0 && ms <= 3_600_000 ? ms : undefined;
}

function where(request: RequestContext): string {
  return `${request.method} ${request.url}`;
}

/**
 * The one place a non-success response becomes a typed error. Looks at the body as well as the
 * status, because Autotask reports most problems (validation, permissions, thread limits) as 500s.
 */
export function createAutotaskApiError(input: {
  status: number;
  bodyText: string;
  request: RequestContext;
  retryAfterMs?: number;
}): AutotaskApiError {
  const { status, request } = input;
  const { messages, html, structured } = parseErrorMessages(input.bodyText);
  const joined = messages.join(' ');
  const said = messages.length > 0 ? `: ${messages.join(' | ')}` : '';
  const base = { status, errors: messages, request };
  const retry = input.retryAfterMs === undefined ? {} : { retryAfterMs: input.retryAfterMs };

  if (THREAD_LIMIT.test(joined)) {
    return new AutotaskThreadLimitError(
      `Autotask refused ${where(request)}: too many concurrent requests on this entity endpoint (thread limit)${said}. The client retries with backoff; lower 'threadsPerEntity' if other processes share this integration code.`,
      { ...base, ...retry },
    );
  }
  if (status === 429 || (status >= 400 && RATE_LIMIT.test(joined))) {
    return new AutotaskRateLimitError(
      `Autotask throttled ${where(request)} (HTTP ${status})${said}. The tenant's hourly request threshold may be reached; lower 'budget.share' or wait.`,
      { ...base, ...retry },
    );
  }
  if (status === 401) {
    return new AutotaskAuthenticationError(
      `Autotask rejected the credentials for ${where(request)} (HTTP 401${said ? said : ', empty body'}). Autotask does not say why; likely causes: a wrong secret, a wrong or revoked integration code, a user that is not an API-only user, or a URL of another zone.`,
      {
        ...base,
        reason: 'rejected',
        likelyCauses: [
          'wrong secret',
          'wrong integration code',
          'user is not an API-only user',
          'wrong zone URL',
        ],
      },
    );
  }
  if (INTEGRATION_CODE.test(joined)) {
    return new AutotaskAuthenticationError(
      `Autotask says the integration code is invalid (${where(request)}). Check 'integrationCode' (the API tracking identifier of the API user).`,
      { ...base, reason: 'bad-integration-code', likelyCauses: ['wrong integration code'] },
    );
  }
  if (ZONE_UNKNOWN.test(joined)) {
    return new AutotaskAuthenticationError(
      `Autotask zone discovery does not know this API user name (${where(request)})${said}. Check the API user name.`,
      { ...base, reason: 'unknown-user', likelyCauses: ['wrong username'] },
    );
  }
  if (status === 403 || PERMISSION.test(joined)) {
    return new AutotaskPermissionError(
      `Autotask denied ${where(request)}: the API user's security level does not allow this${said}. Grant the permission in Autotask (Admin → Security Levels) or remove the operation from the sync.`,
      base,
    );
  }
  if (status === 404) {
    return new AutotaskNotFoundError(
      html
        ? `${where(request)} is not an Autotask REST route (HTML 404${said}). Check the URL; for Contacts, writes go through /Companies/{id}/Contacts.`
        : `Autotask found nothing at ${where(request)}${said}.`,
      { ...base, routeNotFound: html },
    );
  }
  if (status === 405) {
    return new AutotaskMethodNotAllowedError(
      `Autotask does not allow ${request.method} on ${request.url}${said}.`,
      base,
    );
  }
  // Autotask reports business-rule failures as 500 with its JSON envelope; anything else ≥ 500 is
  // the server (or a proxy in front of it) failing.
  if (status > 500 || (status === 500 && (!structured || UNEXPECTED.test(joined)))) {
    return new AutotaskServerError(`Autotask failed on ${where(request)} (HTTP ${status})${said}.`, base);
  }
  if (status >= 400) {
    return new AutotaskValidationError(`Autotask refused ${where(request)} (HTTP ${status})${said}.`, base);
  }
  return new AutotaskUnexpectedResponseError(
    `Autotask answered ${where(request)} with HTTP ${status}, which the client does not expect${said}.`,
    base,
  );
}
