/**
 * One HTTP attempt: `fetch` with a timeout, turning network failures into typed errors that say
 * whether the request provably never left (connection refused, DNS failure, TLS failure).
 */
import { AutotaskConnectionError, AutotaskTimeoutError, type RequestContext } from '../errors.js';

export interface HttpResponse {
  status: number;
  headers: Headers;
  bodyText: string;
}

/** Error codes (undici / Node) meaning the connection was never established. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCodes(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 4) return [];
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => errorCodes(x, depth + 1)) : [];
  return [...own, ...nested, ...errorCodes(e.cause, depth + 1)];
}

/** The messages of an error and its causes. */
function causeMessages(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error) || depth > 4) return [];
  return [error.message, ...causeMessages(error.cause, depth + 1)];
}

/** True when a fetch failure proves the request never reached the server. */
export function failedBeforeSending(error: unknown): boolean {
  const codes = errorCodes(error);
  return codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c));
}

export async function sendHttp(input: {
  fetch: typeof fetch;
  url: string;
  init: RequestInit;
  timeoutMs: number;
  context: RequestContext;
  /** Removes secrets from error messages. */
  redact: (text: string) => string;
  /** The caller's signal; its abort is passed through as is. */
  signal?: AbortSignal | undefined;
}): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(input.timeoutMs);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  try {
    input.signal?.throwIfAborted();
    const res = await input.fetch(input.url, { ...input.init, signal });
    const bodyText = await res.text();
    return { status: res.status, headers: res.headers, bodyText };
  } catch (error) {
    if (input.signal?.aborted) throw input.signal.reason;
    if (timeout.aborted) {
      throw new AutotaskTimeoutError(
        `No answer from Autotask to ${input.context.method} ${input.context.url} within ${input.timeoutMs} ms.`,
        { request: input.context, timeoutMs: input.timeoutMs },
      );
    }
    const codes = errorCodes(error);
    // fetch refuses some ports outright (the Fetch standard's "bad ports", e.g. 9, 25, 6000).
    const badPort = !codes.length && causeMessages(error).includes('bad port');
    if (badPort) codes.push('bad port');
    const sent = !badPort && !failedBeforeSending(error);
    const reason = input.redact(
      codes.length > 0 ? codes.join(', ') : error instanceof Error ? error.message : String(error),
    );
    throw new AutotaskConnectionError(connectionFailureMessage(input.context, codes, reason, sent), {
      request: input.context,
      requestSent: sent,
      hostNotFound: codes.includes('ENOTFOUND'),
      retryable: !badPort && !codes.includes('ENOTFOUND'),
      cause: redactedCause(error, input.redact),
    });
  }
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Says what failed and the one thing to check, by cause: a host that does not resolve, a refused
 * connection and a refused certificate fail before anything is sent; a broken connection after.
 */
export function connectionFailureMessage(
  request: RequestContext,
  codes: readonly string[],
  reason: string,
  sent: boolean,
): string {
  const host = hostOf(request.url);
  const what = `${request.method} ${request.url}`;
  if (sent)
    return `The connection to ${host} broke after ${what} was sent (${reason}). Check the network, and any proxy or firewall between this machine and ${host}.`;
  const head = `Could not connect to ${host} (${reason}); nothing was sent (${what}).`;
  if (codes.includes('ENOTFOUND'))
    return `${head} The host name does not exist: check it in the URL for a typo; if it is right, check this machine's DNS, network and proxy settings.`;
  if (codes.includes('bad port'))
    return `${head} fetch refuses to connect to this port (one of the ports the Fetch standard blocks): check the port in the URL.`;
  if (codes.includes('ECONNREFUSED'))
    return `${head} Nothing accepts connections there: check the host and port in the URL, then the network, a firewall or a proxy.`;
  if (codes.some((c) => TLS_CODES.has(c)))
    return `${head} Its TLS certificate was refused: check the URL's host, or a proxy that intercepts HTTPS.`;
  return `${head} Check the URL, the network and any proxy between this machine and ${host}.`;
}

function redactedCause(error: unknown, redact: (text: string) => string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const out = new Error(redact(message));
  out.name = error instanceof Error ? error.name : 'Error';
  const codes = errorCodes(error);
  const [code] = codes;
  if (code !== undefined) (out as Error & { code?: string }).code = code;
  return out;
}
