/**
 * Reply builders with Autotask's wire shapes (API doc §8): JSON bodies, `{"errors":[...]}` for
 * application errors, ASP.NET's `{"Message":...}` for 405, an empty 401, and IIS's HTML 404.
 */
import { IIS_NOT_FOUND_HTML } from '../faults/fault-responses.js';
import type { FaultResponse } from '../faults/types.js';
import type { ApiReply } from './api-exchange.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): ApiReply {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/** A reply without a body. */
export function emptyResponse(status: number): ApiReply {
  return { status, headers: {}, body: null };
}

/** `500 {"errors":[...]}` (or another status), Autotask's application-error envelope (§8.1). */
export function errorsResponse(errors: readonly string[], status = 500): ApiReply {
  return jsonResponse({ errors }, status);
}

/** ASP.NET Web API's answer to a verb the route does not register (§3.1, §8.2). */
export function methodNotAllowed(method: string, allowed: readonly string[]): ApiReply {
  return jsonResponse({ Message: `The requested resource does not support http method '${method}'.` }, 405, {
    allow: allowed.join(', '),
  });
}

/** Any authentication failure: 401 with an empty body (§2.3). */
export function unauthorized(): ApiReply {
  return emptyResponse(401);
}

/** IIS-style HTML page for an unknown route (§8.1). */
export function notFoundHtml(): ApiReply {
  return { status: 404, headers: { 'content-type': 'text/html' }, body: IIS_NOT_FOUND_HTML };
}

/** IIS's answer to a body over the limit. */
export function tooLarge(): ApiReply {
  return {
    status: 413,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: '413 - Request Entity Too Large',
  };
}

/** Turns a fault injector's response into a reply. */
export function faultToResponse(fault: FaultResponse): ApiReply {
  if (fault.body === null) return emptyResponse(fault.status);
  const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
  return {
    status: fault.status,
    headers: fault.contentType ? { 'content-type': fault.contentType } : {},
    body,
  };
}
