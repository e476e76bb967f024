/**
 * Response builders with Autotask's wire shapes (API doc §8): JSON bodies, `{"errors":[...]}` for
 * application errors, ASP.NET's `{"Message":...}` for 405, an empty 401, and IIS's HTML 404.
 */
import { IIS_NOT_FOUND_HTML } from '../faults/fault-responses.js';
import type { FaultResponse } from '../faults/types.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** `500 {"errors":[...]}` (or another status), Autotask's application-error envelope (§8.1). */
export function errorsResponse(errors: readonly string[], status = 500): Response {
  return jsonResponse({ errors }, status);
}

/** ASP.NET Web API's answer to a verb the route does not register (§3.1, §8.2). */
export function methodNotAllowed(method: string, allowed: readonly string[]): Response {
  return jsonResponse({ Message: `The requested resource does not support http method '${method}'.` }, 405, {
    allow: allowed.join(', '),
  });
}

/** Any authentication failure: 401 with an empty body (§2.3). */
export function unauthorized(): Response {
  return new Response(null, { status: 401 });
}

/** IIS-style HTML page for an unknown route (§8.1). */
export function notFoundHtml(): Response {
  return new Response(IIS_NOT_FOUND_HTML, { status: 404, headers: { 'content-type': 'text/html' } });
}

/** Turns a fault injector's response into a `Response`. */
export function faultToResponse(fault: FaultResponse): Response {
  if (fault.body === null) return new Response(null, { status: fault.status });
  const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
  return new Response(body, {
    status: fault.status,
    headers: fault.contentType ? { 'content-type': fault.contentType } : {},
  });
}
