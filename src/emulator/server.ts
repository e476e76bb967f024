/**
 * Real HTTP for the emulator on node:http: binds loopback by default and hands each request to the
 * emulator's handler with the connection's peer address and a way to drop the socket (the "dropped
 * connection" fault destroys it without a response). Requests and replies are converted directly
 * between node:http and the routes' own shapes (routes/api-exchange.ts): no WHATWG Request/Response,
 * body stream or AbortSignal per request, which is where most of the CPU per request used to go.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ApiReply, ApiRequest } from './routes/api-exchange.js';
import type { Connection } from './routes/dispatch.js';

export type ConnectionHandler = (request: ApiRequest, connection: Connection) => Promise<ApiReply>;

export interface ListenOptions {
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
}

export interface Listening {
  /** The REST root served, e.g. `http://127.0.0.1:53211/ATServicesRest/` (what zoneInformation returns). */
  url: string;
  /** `http://127.0.0.1:53211` */
  origin: string;
  port: number;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Reads a node:http request body as text; `undefined` when it is over `maxBytes` (declared or
 * streamed). The rest of an oversized body is discarded as it arrives, so the 413 still reaches the
 * client and the connection stays usable.
 */
export function readIncomingBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.resume(); // keep discarding what is still coming
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** The routes' view of a node:http request; `fallbackHost` when the client sent no Host header. */
function apiRequest(req: IncomingMessage, fallbackHost: string): ApiRequest {
  const headers = req.headers;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url: new URL(req.url ?? '/', `http://${headers.host ?? fallbackHost}`),
    header: (name) => {
      const value = headers[name];
      if (value === undefined) return null;
      return typeof value === 'string' ? value : value.join(', ');
    },
    readBody: (maxBytes) => readIncomingBody(req, maxBytes),
  };
}

function writeReply(res: ServerResponse, reply: ApiReply): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string | number> = { ...reply.headers };
  if (reply.body === null) {
    headers['content-length'] = 0;
    res.writeHead(reply.status, headers);
    res.end();
  } else {
    headers['content-length'] = Buffer.byteLength(reply.body);
    res.writeHead(reply.status, headers);
    res.end(reply.body); // headers and a string body leave in one write
  }
}

const BAD_REQUEST: ApiReply = {
  status: 400,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: 'Bad Request',
};
const INTERNAL_ERROR: ApiReply = {
  status: 500,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ errors: ['An unexpected error has occurred in the emulator.'] }),
};

export async function listenHttp(
  handler: ConnectionHandler,
  options: ListenOptions = {},
): Promise<Listening> {
  const host = options.host ?? '127.0.0.1';
  let fallbackHost = hostForUrl(host);
  const serveOne = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let request: ApiRequest;
    try {
      request = apiRequest(req, fallbackHost);
    } catch {
      writeReply(res, BAD_REQUEST); // e.g. a Host header that is not a host
      return;
    }
    const socket = req.socket;
    let reply: ApiReply;
    try {
      reply = await handler(request, {
        remoteAddress: socket.remoteAddress,
        drop: () => socket.destroy(),
      });
    } catch {
      reply = INTERNAL_ERROR; // the handler logs its own failures
    }
    writeReply(res, reply);
  };
  const server: Server = createServer((req, res) => void serveOne(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  fallbackHost = `${hostForUrl(host)}:${port}`;
  const origin = `http://${hostForUrl(host)}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url: `${origin}/ATServicesRest/`,
    origin,
    port,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
