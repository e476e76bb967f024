/**
 * The emulator's own request and reply shapes, independent of the transport. The routes work on these;
 * `emulator.fetch` converts from a fetch `Request` and back to a `Response`, while the HTTP server
 * (server.ts) converts straight from node:http's request and writes the reply to its response, so a
 * request over the wire never builds a WHATWG Request/Response, stream or AbortSignal.
 */
import { readBodyLimited } from './read-body.js';

/** A request as the routes see it. */
export interface ApiRequest {
  /** Verb, upper-case. */
  method: string;
  /** Absolute URL (origin = the host the client addressed). */
  url: URL;
  /** A header's value by lower-case name (several values joined with `, `), or `null`. */
  header: (name: string) => string | null;
  /** The body as text ('' when none), or `undefined` when it is larger than `maxBytes` (→ 413). */
  readBody: (maxBytes: number) => Promise<string | undefined>;
}

/** A reply to write: status, headers (lower-case names) and a text body (`null` = none). */
export interface ApiReply {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** Whether a reply is a success (2xx), like `Response.ok`. */
export function replyOk(reply: ApiReply): boolean {
  return reply.status >= 200 && reply.status < 300;
}

/** Adapts a fetch `Request` (in-process `emulator.fetch`). */
export function fromFetchRequest(request: Request): ApiRequest {
  return {
    method: request.method.toUpperCase(),
    url: new URL(request.url),
    header: (name) => request.headers.get(name),
    readBody: (maxBytes) => readBodyLimited(request, maxBytes),
  };
}

/** Converts a reply into a fetch `Response`. */
export function toFetchResponse(reply: ApiReply): Response {
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}
